// run --repetitions N / --pool N: over the config's settings, recorded in
// meta.json's run_options (read back by a resume), bounded by
// common/limits.h, refused with --resume (which keeps the run's).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "support/run_binary.h"
#include "support/test_dir.h"
#include "sweep/run_overrides.h"
#include "sweep/sweep_runner.h"

namespace zs {
namespace {

const std::string kConfig = std::string(ZS_SOURCE_DIR) + "/configs/vendor-compare.toml";

TEST(RunOverrides, RecordedAndReadBack) {
  nlohmann::json ro = {{"reserve_hugetlb", false}};
  record_run_overrides({3, 8}, ro);
  EXPECT_EQ(ro["repetitions"], 3u);
  EXPECT_EQ(ro["pool"], 8u);
  const RunOverrides back = recorded_run_overrides(ro);
  EXPECT_EQ(back.repetitions, 3u);
  EXPECT_EQ(back.pool, 8u);
  // A run without them (or older than them) has none, and records none.
  nlohmann::json none = nlohmann::json::object();
  record_run_overrides({}, none);
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(recorded_run_overrides(none).repetitions);
  EXPECT_FALSE(recorded_run_overrides(nlohmann::json()).pool);
}

TEST(RunOverrides, OverTheConfigsSettings) {
  SweepRunOptions opt;
  opt.config_path = kConfig;
  const SweepPlan plain = plan_sweep(opt);
  EXPECT_EQ(plain.config.settings.repetitions, 30u);
  EXPECT_EQ(plain.config.settings.pool, 0u);
  opt.overrides = {3, 8};
  const SweepPlan plan = plan_sweep(opt);
  EXPECT_EQ(plan.config.settings.repetitions, 3u);
  EXPECT_EQ(plan.config.settings.pool, 8u);
  EXPECT_EQ(plan.total, plan.points.size() * 3);
  // The config's text (its fingerprint) is the file's, unchanged.
  EXPECT_EQ(plan.config.text, plain.config.text);
}

TEST(RunOverrides, AResumeKeepsTheRuns) {
  // The run recorded under qemu was made with --repetitions 3 --pool 8.
  namespace fs = std::filesystem;
  const fs::path dir = test::fresh_test_dir("zs_overrides_") / "run";
  fs::copy(fs::path(ZS_SOURCE_DIR) / "tests/fixtures/results/qemu-arm64", dir);
  SweepRunOptions opt;
  opt.resume_dir = dir.string();
  const SweepPlan plan = plan_sweep(opt);
  EXPECT_EQ(plan.overrides.repetitions, 3u);
  EXPECT_EQ(plan.overrides.pool, 8u);
  EXPECT_EQ(plan.config.settings.repetitions, 3u);
  EXPECT_EQ(plan.config.settings.pool, 8u);
  EXPECT_EQ(plan.total, plan.points.size() * 3);
}

testing::Result run(const std::string& args) { return testing::run_zeroscope(args); }

TEST(RunOverrides, DryRunShowsThem) {
  auto r = run("run " + kConfig + " --repetitions 3 --pool 8 --dry-run");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("# 21 points x 3 repetitions = 63 samples"), std::string::npos) << r.out;
}

TEST(RunOverrides, OutOfBoundsRefusedInOneLine) {
  for (const std::string bad : {"--repetitions 0", "--repetitions 1000001", "--pool 0",
                                "--pool 1048577", "--repetitions many"}) {
    auto r = run("run " + kConfig + " " + bad + " --dry-run");
    EXPECT_NE(r.rc, 0) << bad;
    EXPECT_EQ(testing::count_lines(r.err), 1) << bad << ": " << r.err;
    EXPECT_NE(r.err.find(bad.substr(0, bad.find(' '))), std::string::npos) << r.err;
  }
}

TEST(RunOverrides, NotWithResume) {
  auto r = run("run --resume /nonexistent --repetitions 3");
  EXPECT_NE(r.rc, 0);
  EXPECT_EQ(r.err, "zeroscope run: --repetitions: not with --resume, which keeps the run's\n")
      << r.err;
}

}  // namespace
}  // namespace zs
