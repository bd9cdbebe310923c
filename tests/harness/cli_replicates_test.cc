// `zeroscope report` and `compare` given a replicates parent, and the rule
// for verdicts: faster / slower / n.s. only with 2+ runs on every side; with
// one run on a side the change and its within-run interval, no verdict.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/run_binary.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = ZS_SOURCE_DIR;
const std::string F = (kSource / "tests/fixtures/results/").string();
constexpr const char* kNoVerdict =
    "one run per side: no verdict, run-to-run variance unknown; use --replicates";

class CliReplicates : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::fresh_test_dir("zs_clirep_");
    parent_ = (dir_ / "parent").string();
    fs::create_directories(parent_);
    fs::copy(kSource / "tests/fixtures/replicates/meta.json", parent_ + "/meta.json");
    fs::copy(F + "quick.toml", parent_ + "/config.toml");
    fs::copy(F + "quick-a", parent_ + "/rep-1", fs::copy_options::recursive);
    fs::copy(F + "quick-c", parent_ + "/rep-2", fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
  std::string parent_;
};

TEST_F(CliReplicates, CompareTakesAParentAsOneSideOfReplicateRuns) {
  // The parent holds quick-a and quick-c: the same as listing them.
  auto listed = testing::run_zeroscope("compare " + F + "quick-a," + F + "quick-c " + F +
                                       "quick-b," + F + "quick-d --format json");
  auto parent = testing::run_zeroscope("compare " + parent_ + " " + F + "quick-b," + F +
                                       "quick-d --format json");
  ASSERT_EQ(parent.rc, 0) << parent.err;
  const auto a = nlohmann::json::parse(listed.out), b = nlohmann::json::parse(parent.out);
  EXPECT_EQ(b["runs"], (nlohmann::json{2, 2}));
  EXPECT_FALSE(b.contains("verdict_why"));
  ASSERT_EQ(a["entries"].size(), b["entries"].size());
  for (std::size_t i = 0; i < a["entries"].size(); ++i) {
    EXPECT_EQ(a["entries"][i]["change"], b["entries"][i]["change"]);
    EXPECT_EQ(b["entries"][i]["verdict"], "n.s.");
  }
  auto text = testing::run_zeroscope("compare " + parent_ + " " + F + "quick-b," + F + "quick-d");
  EXPECT_NE(text.out.find("(2 runs; label fixture-quick"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("0 faster, 0 slower, 8 no significant change."), std::string::npos);
  // A parent and one of its own runs are the same run twice.
  auto same = testing::run_zeroscope("compare " + parent_ + " " + parent_ + "/rep-1");
  EXPECT_EQ(same.rc, 2);
  EXPECT_NE(same.err.find("are the same results directory"), std::string::npos) << same.err;
}

TEST_F(CliReplicates, OneRunPerSideGivesTheChangeButNoVerdict) {
  auto r = testing::run_zeroscope("compare " + F + "strategy-sequential " + F +
                                  "strategy-extent --ignore strategy");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find(kNoVerdict), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("faster"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("No verdict on 2 points: one run per side."), std::string::npos);
  auto js =
      nlohmann::json::parse(testing::run_zeroscope("compare " + F + "strategy-sequential " + F +
                                                   "strategy-extent --ignore strategy "
                                                   "--format json")
                                .out);
  EXPECT_EQ(js["verdict_why"], kNoVerdict);
  for (const auto& e : js["entries"]) {
    EXPECT_TRUE(e["verdict"].is_null());
    EXPECT_EQ(e["verdict_why"], kNoVerdict);
    EXPECT_LT(e["change"]["hi"].get<double>(), 0);  // the change is still there
  }
  auto csv = testing::run_zeroscope("compare " + F + "strategy-sequential " + F +
                                    "strategy-extent --ignore strategy --format csv");
  EXPECT_NE(csv.out.find(",-\n"), std::string::npos) << csv.out;
  EXPECT_NE(csv.err.find(kNoVerdict), std::string::npos) << csv.err;
  auto md = testing::run_zeroscope("compare " + F + "strategy-sequential " + F +
                                   "strategy-extent --ignore strategy --format markdown");
  EXPECT_NE(md.out.find(kNoVerdict), std::string::npos) << md.out;
  EXPECT_EQ(md.out.find("faster"), std::string::npos) << md.out;
  // Two runs on one side, one on the other: still no verdict.
  auto mixed = testing::run_zeroscope("compare " + parent_ + " " + F + "quick-b");
  ASSERT_EQ(mixed.rc, 0) << mixed.err;
  EXPECT_NE(mixed.out.find("one run on a side: no verdict"), std::string::npos) << mixed.out;
}

TEST_F(CliReplicates, ReportOfAParentIsTheMedianOfRunMediansOverRuns) {
  auto r = testing::run_zeroscope("report " + parent_);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("runs: 2 replicates. cost = median of run medians."), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cost, median of run medians [95% interval over runs], us:"),
            std::string::npos);
  auto j =
      nlohmann::json::parse(testing::run_zeroscope("report " + parent_ + " --format json").out);
  auto a =
      nlohmann::json::parse(testing::run_zeroscope("report " + F + "quick-a --format json").out);
  auto c =
      nlohmann::json::parse(testing::run_zeroscope("report " + F + "quick-c --format json").out);
  EXPECT_EQ(j["runs"], 2);
  const auto& e = j["groups"][0]["entries"][0];
  const double ma = a["groups"][0]["entries"][0]["cost_ns"]["median"];
  const double mc = c["groups"][0]["entries"][0]["cost_ns"]["median"];
  EXPECT_DOUBLE_EQ(e["cost_ns"]["median"].get<double>(), (ma + mc) / 2);  // median of two
  EXPECT_DOUBLE_EQ(e["cost_runs_ns"]["median"].get<double>(), (ma + mc) / 2);
  EXPECT_LE(e["cost_runs_ns"]["lo"].get<double>(), e["cost_runs_ns"]["hi"].get<double>());
  EXPECT_EQ(e["cost_ns"]["n"], a["groups"][0]["entries"][0]["cost_ns"]["n"].get<int>() * 2);
  // A missing replicate: one line naming it and the fix; --lenient leaves it out and says so.
  fs::remove_all(parent_ + "/rep-2");
  auto missing = testing::run_zeroscope("report " + parent_);
  EXPECT_EQ(missing.rc, 2);
  EXPECT_EQ(testing::count_lines(missing.err), 1) << missing.err;
  EXPECT_NE(missing.err.find("rep-2: replicate 2 of 2: missing; complete the replicates with "
                             "--resume " +
                             parent_ + ", or leave it out with --lenient"),
            std::string::npos)
      << missing.err;
  auto lenient = testing::run_zeroscope("report " + parent_ + " --lenient");
  ASSERT_EQ(lenient.rc, 0) << lenient.err;
  EXPECT_NE(lenient.out.find("left out (missing)"), std::string::npos) << lenient.out;
  EXPECT_EQ(lenient.out.rfind("zeroscope report: " + parent_ + "\n", 0), 0u) << lenient.out;
}

}  // namespace
}  // namespace zs
