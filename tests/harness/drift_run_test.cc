// The drift control in a real sweep (system test: it measures time and
// sizes THP pools): a short run records the series its cadence predicts,
// and a run stopped part way then resumed appends the resumed segment's
// readings to the first one's, each tagged with its segment.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "results/results_dir.h"
#include "support/test_dir.h"
#include "sweep/drift_control.h"
#include "sweep/sweep_runner.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

// Stops the loop once `stop_after` samples of this process are done (0: never).
class StopAfter : public RunObserver {
 public:
  explicit StopAfter(std::uint64_t n) : n_(n) {}
  bool stop_requested() override { return n_ != 0 && this_run_ >= n_; }
  void sample_done(std::uint64_t, std::uint64_t, std::uint64_t this_run, double) override {
    this_run_ = this_run;
  }

 private:
  std::uint64_t n_, this_run_ = 0;
};

class DriftRun : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = zs::test::fresh_test_dir("zs_drift_run_"); }
  void TearDown() override { fs::remove_all(dir_); }
  // 2 points x reps of 2 MiB THP.
  std::string config(int reps) {
    const std::string path = (dir_ / "sweep.toml").string();
    std::ofstream(path) << "[settings]\nrepetitions = " << reps
                        << "\nwarmup = 1\nseed = 3\npool = 4\n\n[axes]\nbacking = [\"thp\"]\n"
                        << "folio_size = [\"2MB\"]\nstrategy = [\"extent\", \"left-right\"]\n"
                        << "target = [\"first\"]\naccess = [\"page\"]\n";
    return path;
  }
  SweepResult run(SweepRunOptions opt, std::uint64_t stop_after) {
    StopAfter observer(stop_after);
    return run_sweep(opt, plan_sweep(opt), observer);
  }
  fs::path dir_;
};

TEST_F(DriftRun, AShortRunRecordsTheSeriesItsCadencePredicts) {
  SweepRunOptions opt;
  opt.config_path = config(60);  // 120 samples
  opt.out_dir = (dir_ / "res").string();
  const SweepResult r = run(opt, 0);
  ASSERT_EQ(r.status, RunStatus::complete) << r.failure;
  const nlohmann::json meta = read_json(*opt.out_dir + "/meta.json");
  ASSERT_TRUE(meta.contains("control"));
  const nlohmann::json& c = meta["control"];
  const std::uint64_t every = c["cadence"]["every"];
  // By the 2% budget alone 48; a 120-sample run takes one every 120 / 16.
  EXPECT_EQ(every, 120u / kControlMinReadings);
  ASSERT_EQ(c["series"].size(), expected_controls(0, 120, every));  // 0, 7, 14, ..., 119, 120
  EXPECT_GE(c["series"].size(), kControlMinReadings);
  EXPECT_EQ(c["series"][0]["sample"], 0);
  EXPECT_EQ(c["series"].back()["sample"], 120);
  EXPECT_EQ(c["unit"], "ns");
  for (const nlohmann::json& x : c["series"]) {
    EXPECT_GT(x["ns"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(x["segment"], 0);
  }
  EXPECT_EQ(c["segments"][0]["readings"], c["series"].size());
  // A 2 MiB zero of a warm buffer takes microseconds, not seconds.
  EXPECT_LT(c["series"][1]["ns"].get<std::uint64_t>(), 50'000'000u);
}

TEST_F(DriftRun, AResumedRunAppendsItsSegment) {
  SweepRunOptions opt;
  opt.config_path = config(60);
  opt.out_dir = (dir_ / "res").string();
  ASSERT_EQ(run(opt, 50).status, RunStatus::interrupted);
  const nlohmann::json first = read_json(*opt.out_dir + "/meta.json");
  const std::uint64_t every = first["control"]["cadence"]["every"];
  const std::uint64_t before = expected_controls(0, 50, every);
  ASSERT_EQ(first["control"]["series"].size(), before);  // 0, every, 2 every, ..., 50

  SweepRunOptions resume;
  resume.resume_dir = opt.out_dir;
  ASSERT_EQ(run(resume, 0).status, RunStatus::complete);
  const nlohmann::json meta = read_json(*opt.out_dir + "/meta.json");
  const nlohmann::json& c = meta["control"];
  EXPECT_EQ(c["cadence"]["every"], every);  // the same grid after the resume
  ASSERT_EQ(c["series"].size(), before + expected_controls(50, 120, every));
  EXPECT_EQ(c["series"][before - 1]["segment"], 0);
  EXPECT_EQ(c["series"][before]["segment"], 1);
  EXPECT_EQ(c["series"][before]["sample"], 50);
  EXPECT_EQ(c["series"].back()["sample"], 120);
  EXPECT_EQ(c["segments"].size(), 2u);
}

}  // namespace
}  // namespace zs
