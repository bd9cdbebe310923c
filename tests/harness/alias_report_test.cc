// The report's alias section from synthetic results: zero, mapping-only
// and zero minus mapping per point, alias-page / alias-range with its
// interval, shootdown from the settings, nothing without alias points.
#include <gtest/gtest.h>

#include "report/alias_text.h"

namespace zs {
namespace {

PointInfo point(const std::string& strategy) {
  PointInfo p;
  p.key = "thp/2097152/" + strategy + "/kernel/first/page:write/cold:pool/b-/w-";
  p.backing = "thp";
  p.strategy = strategy;
  p.primitive = "stosb";
  p.target = "first";
  p.access = "page";
  p.op = "write";
  p.cache = "cold";
  p.folio_size = 2u << 20;
  return p;
}

ResultsData synthetic(bool shootdown) {
  ResultsData d;
  d.meta = {{"config", {{"settings", {{"repetitions", 5}}}}}};
  if (shootdown) d.meta["config"]["settings"]["shootdown"] = true;
  d.points = {point("alias-range"), point("alias-page"), point("extent")};
  PhaseData range, page, extent;
  range.ns = {200000, 210000, 190000, 205000, 195000};
  range.alias_map_ns = {50000, 52000, 48000, 51000, 49000};
  page.ns = {3000000, 3100000, 2900000, 3050000, 2950000};
  page.alias_map_ns = {2600000, 2700000, 2500000, 2650000, 2550000};
  extent.ns = {40000, 41000, 39000};
  d.data[d.points[0].key]["zero"] = range;
  d.data[d.points[1].key]["zero"] = page;
  d.data[d.points[2].key]["zero"] = extent;
  return d;
}

TEST(AliasReport, MediansNetCostAndRatioPerGroup) {
  const AliasSection s = build_alias(synthetic(false));
  ASSERT_EQ(s.groups.size(), 1u);
  const AliasGroup& g = s.groups[0];
  ASSERT_EQ(g.entries.size(), 2u);  // extent is not an alias point
  EXPECT_EQ(g.entries[0].strategy, "alias-range");
  EXPECT_DOUBLE_EQ(g.entries[0].zero_ns, 200000);
  EXPECT_DOUBLE_EQ(*g.entries[0].map_ns, 50000);
  EXPECT_DOUBLE_EQ(*g.entries[0].net_ns, 150000);
  EXPECT_DOUBLE_EQ(*g.entries[1].net_ns, 400000);
  ASSERT_TRUE(g.page_over_range.has_value());
  EXPECT_DOUBLE_EQ(g.page_over_range->estimate, 15.0);
  EXPECT_LE(g.page_over_range->lo, 15.0);
  EXPECT_GE(g.page_over_range->hi, 15.0);
  EXPECT_NEAR(*g.net_page_over_range, 400000.0 / 150000.0, 1e-9);
  const std::string text = render_alias_text(s);
  EXPECT_NE(text.find("Alias-mapped zeroing"), std::string::npos) << text;
  EXPECT_NE(text.find("shootdown: off"), std::string::npos) << text;
  EXPECT_NE(text.find("    alias-range      5        200.0         50.0            150.0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("alias-page / alias-range: 15.00x ["), std::string::npos) << text;
  EXPECT_NE(text.find("; 2.67x\n      without the mapping"), std::string::npos) << text;
}

TEST(AliasReport, MarkdownAndJsonCarryTheSameNumbers) {
  const AliasSection s = build_alias(synthetic(false));
  const std::string md = render_alias_markdown(s);
  EXPECT_NE(md.find("### Alias-mapped zeroing"), std::string::npos) << md;
  EXPECT_NE(md.find("| alias-range | 5 | 200.0 | 50.0 | 150.0 |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("alias-page / alias-range: 15.00x ["), std::string::npos) << md;
  const nlohmann::json j = alias_json(s);
  EXPECT_EQ(j["shootdown"], false);
  ASSERT_EQ(j["groups"].size(), 1u);
  EXPECT_EQ(j["groups"][0]["entries"][0]["strategy"], "alias-range");
  EXPECT_DOUBLE_EQ(j["groups"][0]["entries"][0]["net_median_ns"].get<double>(), 150000);
  EXPECT_DOUBLE_EQ(j["groups"][0]["page_over_range"]["estimate"].get<double>(), 15.0);
  EXPECT_EQ(render_alias_markdown({}), "");
}

// The mapping alone slower than the whole phase (noise larger than the
// clearing): no ratio of net medians, and the reason instead of a negative one.
TEST(AliasReport, NoNetRatioWhenAMappingAloneTookTheWholePhase) {
  ResultsData d = synthetic(false);
  for (auto& [key, phases] : d.data)
    if (key.find("alias-page") != std::string::npos)
      for (double& v : phases["zero"].alias_map_ns) v = 3.2e6;  // above its zero median
  const AliasSection s = build_alias(d);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_FALSE(s.groups[0].net_page_over_range);
  EXPECT_LT(*s.groups[0].entries[1].net_ns, 0);
  const std::string text = render_alias_text(s);
  EXPECT_NE(text.find("no ratio\n      without the mapping"), std::string::npos) << text;
  EXPECT_EQ(text.find("-"), text.find("-mapped")) << text;  // no negative number
}

TEST(AliasReport, ShootdownIsTakenFromTheSettings) {
  EXPECT_TRUE(build_alias(synthetic(true)).shootdown);
  EXPECT_NE(render_alias_text(build_alias(synthetic(true))).find("shootdown: on"),
            std::string::npos);
}

TEST(AliasReport, OldResultsWithoutTheColumnShowNoMapping) {
  ResultsData d = synthetic(false);
  for (auto& [key, phases] : d.data) phases["zero"].alias_map_ns.clear();
  const AliasSection s = build_alias(d);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_FALSE(s.groups[0].entries[0].map_ns.has_value());
  EXPECT_FALSE(s.groups[0].net_page_over_range.has_value());
  EXPECT_NE(render_alias_text(s).find("200.0            -                -"), std::string::npos)
      << render_alias_text(s);
}

TEST(AliasReport, NoSectionWithoutAliasPoints) {
  ResultsData d = synthetic(false);
  d.points.erase(d.points.begin(), d.points.begin() + 2);
  EXPECT_TRUE(build_alias(d).groups.empty());
  EXPECT_EQ(render_alias_text(build_alias(d)), "");
}

}  // namespace
}  // namespace zs
