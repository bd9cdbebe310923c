// The report's total: cost + access of the same sample, paired by sample,
// then summarised; on synthetic phases and on a checked-in results dir.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "report/report.h"
#include "report/total_cost.h"
#include "results/results_data.h"

namespace zs {
namespace {

PhaseData phase(std::vector<double> ns, std::vector<std::uint64_t> samples) {
  PhaseData d;
  d.ns = std::move(ns);
  d.samples = std::move(samples);
  return d;
}

TEST(TotalCost, PairsBySampleNotByPosition) {
  // access rows in another order than the cost rows, one cost without access
  const PhaseData cost = phase({100, 200, 300, 400}, {0, 1, 2, 3});
  const PhaseData acc = phase({3, 1, 2}, {2, 0, 1});
  auto t = total_cost(&cost, &acc);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->n, 3u);
  EXPECT_DOUBLE_EQ(t->median, 202);  // 101, 202, 303
  EXPECT_DOUBLE_EQ(t->min, 101);
}

TEST(TotalCost, MedianOfSumsNotSumOfMedians) {
  // cheap zero with a dear access and the reverse: the sums are all 110.
  const PhaseData cost = phase({10, 100, 10, 100, 10}, {0, 1, 2, 3, 4});
  const PhaseData acc = phase({100, 10, 100, 10, 100}, {0, 1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(total_cost(&cost, &acc)->median, 110);
}

TEST(TotalCost, NothingWithoutAccessOrPairs) {
  const PhaseData cost = phase({1, 2}, {0, 1});
  EXPECT_FALSE(total_cost(&cost, nullptr));
  const PhaseData other = phase({1}, {7});
  EXPECT_FALSE(total_cost(&cost, &other));
  PhaseData unnumbered;  // a loader that kept no sample ids: no guess
  unnumbered.ns = {1, 2};
  EXPECT_FALSE(total_cost(&cost, &unnumbered));
}

// On quick-a: each entry's total is the median of its samples' zero (or
// fault) + access, computed here from samples.csv by hand.
TEST(TotalCost, FixtureResultsMatchSamplesByHand) {
  const std::string dir = std::string(ZS_SOURCE_DIR) + "/tests/fixtures/results/quick-a";
  std::ifstream in(dir + "/samples.csv");
  std::string line;
  std::getline(in, line);  // every row of quick-a is kept ("left out: none")
  std::map<std::pair<std::string, std::string>, double> sum;  // (key, rep) -> ns
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    sum[{f[0], f[12]}] += std::stod(f[14]);
  }
  const ResultsData d = load_results(dir);
  const Report r = build_report(d, {});
  std::size_t checked = 0;
  for (const ReportGroup& g : r.groups)
    for (const ReportEntry& e : g.entries) {
      ASSERT_TRUE(e.total) << e.point.key;
      std::vector<double> v;
      for (const auto& [k, ns] : sum)
        if (k.first == e.point.key) v.push_back(ns);
      EXPECT_DOUBLE_EQ(e.total->median, stats::summarize(v).median) << e.point.key;
      EXPECT_GE(e.total->median, e.cost.median * 0.5);
      ++checked;
    }
  EXPECT_EQ(checked, 8u);
  const nlohmann::json j = render_report_json(r);
  const auto& x = j["groups"][0]["entries"][0];
  EXPECT_DOUBLE_EQ(x["total_ns"]["median"].get<double>(), r.groups[0].entries[0].total->median);
  EXPECT_NE(render_report_text(r).find("tot us"), std::string::npos);
  // The csv carries it too, beside the access median.
  const std::string csv = render_report_csv(r);
  EXPECT_NE(csv.find(",access_median_ns,total_median_ns,"), std::string::npos);
  EXPECT_NE(csv.find(fmt::format(",{},", r.groups[0].entries[0].total->median)), std::string::npos);
}

}  // namespace
}  // namespace zs
