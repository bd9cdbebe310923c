// The drift control read back: the quarter rule on synthetic series, and
// what `report` and `compare` say for results directories whose meta.json
// carries a hand-written control series (copies of the quick fixtures), or
// none (the fixtures as they are: made before the control existed).
#include "report/drift.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/errors.h"
#include "report/compare.h"
#include "report/report.h"
#include "results/results_data.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(ZS_SOURCE_DIR) / "tests/fixtures/results";

std::vector<double> series(std::size_t n, double base, double end_shift, double noise) {
  std::vector<double> v;
  for (std::size_t i = 0; i < n; ++i) {
    const double wobble = (i % 2 == 0 ? 1 : -1) * noise * double(i % 3);
    v.push_back(base * (1 + end_shift * double(i) / double(n - 1)) * (1 + wobble));
  }
  return v;
}

TEST(QuarterDrift, StableSeriesIsStable) {
  const QuarterDrift d = quarter_drift(std::vector<double>(16, 40000));
  EXPECT_EQ(d.verdict, QuarterDrift::Verdict::stable);
  EXPECT_EQ(d.per_quarter, 4u);
  EXPECT_DOUBLE_EQ(d.change, 0);
}

TEST(QuarterDrift, SixPercentStepIsDrift) {
  std::vector<double> v(16, 40000);
  for (std::size_t i = 8; i < 16; ++i) v[i] = 42400;  // +6%
  const QuarterDrift d = quarter_drift(v);
  EXPECT_EQ(d.verdict, QuarterDrift::Verdict::drift);
  EXPECT_NEAR(d.change, 0.06, 1e-9);
  EXPECT_DOUBLE_EQ(d.first, 40000);
  EXPECT_DOUBLE_EQ(d.last, 42400);
  // And a slow ramp to +6% over the run, downwards too.
  EXPECT_EQ(quarter_drift(series(40, 40000, 0.08, 0)).verdict, QuarterDrift::Verdict::drift);
  EXPECT_EQ(quarter_drift(series(40, 40000, -0.08, 0)).verdict, QuarterDrift::Verdict::drift);
}

TEST(QuarterDrift, NoisyButStableIsStable) {
  // +-8% reading to reading, the same level throughout, and a spike in the last quarter.
  std::vector<double> v = series(40, 40000, 0, 0.04);
  v[38] = 90000;
  const QuarterDrift d = quarter_drift(v);
  EXPECT_EQ(d.verdict, QuarterDrift::Verdict::stable) << d.change;
  EXPECT_LT(std::fabs(d.change), 0.05);
}

TEST(QuarterDrift, TooFewReadingsAreNotJudged) {
  EXPECT_EQ(quarter_drift({1, 1, 1, 2, 2, 2, 2}).verdict, QuarterDrift::Verdict::too_few);
  EXPECT_EQ(quarter_drift({}).verdict, QuarterDrift::Verdict::too_few);
  EXPECT_STREQ(to_string(QuarterDrift::Verdict::too_few), "too_few");
}

// A copy of fixture `name` whose meta.json gets `control` (null: none).
class DriftFixture : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = zs::test::fresh_test_dir("zs_drift_"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string copy(const std::string& name, const std::string& as, const nlohmann::json& control) {
    const fs::path to = dir_ / as;
    fs::copy(kFixtures / name, to, fs::copy_options::recursive);
    nlohmann::json meta;
    std::ifstream(to / "meta.json") >> meta;
    if (!control.is_null()) meta["control"] = control;
    std::ofstream(to / "meta.json", std::ios::trunc) << meta.dump(2);
    return to.string();
  }
  static nlohmann::json control(std::vector<double> ns, std::size_t resume_at = 0) {
    nlohmann::json s = nlohmann::json::array();
    for (std::size_t i = 0; i < ns.size(); ++i)
      s.push_back({{"sample", i * 8},
                   {"at_s", 0.01 * double(i)},
                   {"ns", ns[i]},
                   {"segment", resume_at && i >= resume_at ? 1 : 0}});
    return {{"what", "one 2 MiB extent zero"}, {"primitive", "stosb"}, {"bytes", 2097152},
            {"cadence", {{"every", 8}}},       {"unit", "ns"},         {"series", s}};
  }
  fs::path dir_;
};

TEST_F(DriftFixture, ReportWarnsWhenTheMachineDrifted) {
  std::vector<double> ns(9, 40000);
  ns[7] = ns[8] = 43000;  // +7.5% in the last quarter
  const std::string d = copy("quick-a", "a", control(ns, 5));
  const Report r = build_report(load_results(d), {});
  const std::string text = render_report_text(r);
  EXPECT_NE(text.find("control (2 MiB extent zero, stosb, every 8 samples): median 40.0 us, MAD "
                      "0.0%,\n  IQR 0.0% of the median, n 9 over 2 run segments."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("WARNING: the machine drifted: control median 40.0 us in the first "
                      "quarter, 43.0\n  us in the last (+7.5%, over 5%); rerun, and check the "
                      "machine (frequency,\n  other load, the host).\n"),
            std::string::npos)
      << text;
  const nlohmann::json j = render_report_json(r)["control"];
  EXPECT_EQ(j["drift"], "drift");
  EXPECT_EQ(j["n"], 9);
  EXPECT_DOUBLE_EQ(j["median_ns"].get<double>(), 40000);
  EXPECT_DOUBLE_EQ(j["last_quarter_median_ns"].get<double>(), 43000);
  EXPECT_EQ(j["segments"], 2);
}

// The end of `zeroscope run` says it too, in one line, only when it drifted.
TEST_F(DriftFixture, RunEndsWithAWarningOnlyWhenTheControlDrifted) {
  std::vector<double> ns(9, 40000);
  ns[7] = ns[8] = 43000;
  nlohmann::json meta = {{"control", control(ns)}};
  EXPECT_EQ(drift_warning(summarize_control(meta)),
            "the drift control moved +7.5% between the first and the last quarter of the run "
            "(40.0 us, then 43.0 us): the machine changed while measuring; check it (load, "
            "frequency, the host) and run again");
  meta["control"] = control({40000, 41000, 39000, 40000, 40500, 39500, 40000, 40200});
  EXPECT_EQ(drift_warning(summarize_control(meta)), "");
  meta["control"] = control({40000, 50000, 60000});  // too few readings to judge
  EXPECT_EQ(drift_warning(summarize_control(meta)), "");
  EXPECT_EQ(drift_warning(summarize_control(nlohmann::json::object())), "");
}

TEST_F(DriftFixture, ReportOfAStableRunSaysSo) {
  const std::string d =
      copy("quick-a", "a", control({40000, 41000, 39000, 40000, 40500, 39500, 40000, 40200}));
  const Report r = build_report(load_results(d), {});
  const std::string text = render_report_text(r);
  EXPECT_NE(text.find("drift: none beyond 5% (control median 40.5 us in the first quarter, 40.1 "
                      "us in\n  the last, -1.0%)."),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("WARNING"), std::string::npos);
  EXPECT_EQ(render_report_json(r)["control"]["drift"], "stable");
}

TEST_F(DriftFixture, OldResultsSayThereIsNoSeries) {
  const Report r = build_report(load_results((kFixtures / "quick-a").string()), {});
  EXPECT_NE(render_report_text(r).find(
                "control: no control series (recorded since zeroscope 0.2.0; this run: 0.1.0)"),
            std::string::npos);
  const nlohmann::json j = render_report_json(r)["control"];
  EXPECT_EQ(j["present"], false);
  EXPECT_TRUE(j["drift"].is_null());
}

TEST_F(DriftFixture, CompareSaysWhenTheMachineMovedBetweenRuns) {
  const std::string a = copy("quick-a", "a", control(std::vector<double>(8, 40000)));
  const std::string b = copy("quick-b", "b", control(std::vector<double>(8, 46000)));
  const Comparison c = build_comparison({{load_results(a)}, {load_results(b)}}, {});
  const std::string text = render_comparison_text(c);
  EXPECT_NE(text.find("  A: 40.0 us.\n  B: 46.0 us, +15.0% vs A, over 5%: the machine itself "
                      "moved between the runs; a\n    change of that size in the table may be "
                      "the machine"),
            std::string::npos)
      << text;
  const nlohmann::json j = render_comparison_json(c)["control"];
  EXPECT_EQ(j["sides"][1]["machine_moved"], true);
  EXPECT_NEAR(j["sides"][1]["change"].get<double>(), 0.15, 1e-9);
}

TEST_F(DriftFixture, CompareOfReplicatesPrintsEachRunsMedian) {
  const std::string a1 = copy("quick-a", "a1", control(std::vector<double>(8, 40000)));
  const std::string a2 = copy("quick-c", "a2", control(std::vector<double>(8, 41000)));
  const std::string b1 = copy("quick-b", "b1", control(std::vector<double>(8, 40500)));
  const std::string b2 = copy("quick-d", "b2", control(std::vector<double>(8, 41500)));
  const Comparison c = build_comparison(
      {{load_results(a1), load_results(a2)}, {load_results(b1), load_results(b2)}}, {});
  const std::string text = render_comparison_text(c);
  EXPECT_NE(text.find("  A: 40.5 us (runs 40.0 us, 41.0 us).\n  B: 41.0 us (runs 40.5 us, 41.5 "
                      "us), +1.2% vs A, within 5%: the machine did not\n    move."),
            std::string::npos)
      << text;
  EXPECT_EQ(render_comparison_json(c)["control"]["sides"][1]["machine_moved"], false);
}

TEST_F(DriftFixture, CompareWithARunWithoutSeriesSaysWhich) {
  const std::string b = copy("quick-b", "b", control(std::vector<double>(8, 46000)));
  const Comparison c =
      build_comparison({{load_results((kFixtures / "quick-a").string())}, {load_results(b)}}, {});
  const std::string text = render_comparison_text(c);
  EXPECT_NE(text.find("  A: no control series (recorded since zeroscope 0.2.0; this run: "
                      "0.1.0).\n  B: 46.0 us: not compared (A has no control series)."),
            std::string::npos)
      << text;
}

TEST_F(DriftFixture, DamagedSeriesIsRefusedNamingTheControl) {
  nlohmann::json bad = control({1, 2, 3});
  bad["series"][1].erase("ns");
  const std::string d = copy("quick-a", "a", bad);
  EXPECT_THROW(build_report(load_results(d), {}), SetupError);
}

}  // namespace
}  // namespace zs
