// Access sensitivity: measured on a real pool (hot and cold pairs, one
// entry per distinct access), its meta.json shape, and the report's lines.
#include <gtest/gtest.h>

#include "measure/access_sensitivity.h"
#include "memory/folio_pool.h"
#include "report/access_sensitivity_text.h"

namespace zs {
namespace {

AccessSpec spec(AccessPattern p, AccessOp op) { return {p, op, 64}; }

TEST(AccessSensitivity, OneEntryPerAccessHotAndColdMeasured) {
  // Base pages: no huge-page setting is needed or changed.
  FolioPool pool(Backing::base, 4096, 8, {});
  const TargetSpec first = *TargetSpec::parse("first");
  const std::vector<AccessUse> uses = {
      {spec(AccessPattern::page, AccessOp::write), first, &pool},
      {spec(AccessPattern::page, AccessOp::write), first, &pool},  // again: measured once
      {spec(AccessPattern::none, AccessOp::write), first, &pool},  // touches nothing: left out
      {spec(AccessPattern::page, AccessOp::read), first, &pool},
      {spec(AccessPattern::usemem, AccessOp::write), first, &pool}};
  const auto v = measure_access_sensitivity(uses, 3);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].access, "page:write");
  EXPECT_EQ(v[1].access, "page:read");
  EXPECT_EQ(v[2].access, "usemem:write");
  for (const AccessSensitivity& s : v) {
    EXPECT_GT(s.hot_ns, 0) << s.access;
    EXPECT_GT(s.cold_ns, 0) << s.access;
    EXPECT_DOUBLE_EQ(s.ratio, s.cold_ns / s.hot_ns);
    EXPECT_EQ(s.pairs, 3u);
    EXPECT_EQ(s.backing, "base");
    EXPECT_EQ(s.folio_size, 4096u);
    EXPECT_GT(s.cost_ms, 0);
    EXPECT_FALSE(s.cold_by.empty());
  }
}

std::vector<AccessSensitivity> sample() {
  AccessSensitivity a{"page:write", "thp", "first", 2u << 20, 400, 1000, 2.5, 5, "clflush", 1.2};
  AccessSensitivity b{"touch:write", "thp", "first", 2u << 20, 50, 60, 1.2, 5, "clflush", 0.8};
  return {a, b};
}

TEST(AccessSensitivity, SeparatesInBothDirections) {
  AccessSensitivity s;
  for (auto [ratio, yes] :
       {std::pair{2.5, true}, {1.2, false}, {0.9, false}, {0.4, true}, {0.0, false}}) {
    s.ratio = ratio;
    EXPECT_EQ(separates(s), yes) << ratio;
  }
}

TEST(AccessSensitivity, MetaJsonRoundTrip) {
  const nlohmann::json j = to_json(sample());
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  for (const char* k : {"access", "hot_ns", "cold_ns", "ratio", "pairs", "cold_by", "cost_ms"})
    EXPECT_TRUE(j[0].contains(k)) << k;
  EXPECT_EQ(j[0]["access"], "page:write");
  EXPECT_DOUBLE_EQ(j[0]["ratio"].get<double>(), 2.5);
  const nlohmann::json meta = {{"access_sensitivity", j}};
  const auto back = access_sensitivity_of(meta);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1].access, "touch:write");
  EXPECT_DOUBLE_EQ(back[1].cold_ns, 60);
  EXPECT_TRUE(access_sensitivity_of(nlohmann::json::object()).empty());  // an older run
}

TEST(AccessSensitivity, ReportSaysWhichPatternsSeparate) {
  const std::string t = render_access_sensitivity_text(sample());
  EXPECT_NE(t.find("page:write"), std::string::npos);
  EXPECT_NE(t.find("2.50x"), std::string::npos);
  const std::string line = separating_line(sample());
  EXPECT_NE(line.find("(cold/hot above 1.5 or below 0.67): page:write; cannot"), std::string::npos)
      << line;
  EXPECT_NE(line.find("touch:write."), std::string::npos) << line;
  EXPECT_NE(t.find("can tell strategies apart here"), std::string::npos) << t;
  std::stringstream in(t);
  for (std::string line; std::getline(in, line);) EXPECT_LE(line.size(), 80u) << line;
  EXPECT_EQ(render_access_sensitivity_text({}), "");
  EXPECT_NE(render_access_sensitivity_markdown(sample()).find("| page:write | thp 2 MiB |"),
            std::string::npos);
}

}  // namespace
}  // namespace zs
