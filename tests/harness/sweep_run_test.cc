// `zeroscope run` end to end: a results directory that describes itself,
// exactly the expected rows, deterministic interleaving, and a sweep killed
// with SIGKILL at a random moment that --resume completes without a
// duplicate or a lost sample.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "results/samples_schema.h"
#include "support/run_binary.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

class SweepRun : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = zs::test::fresh_test_dir("zs_sweep_"); }
  void TearDown() override { fs::remove_all(dir_); }

  std::string config(int reps,
                     const std::string& strategies = R"("extent", "left-right", "kernel-fault")") {
    std::string path = (dir_ / "sweep.toml").string();
    std::ofstream(path) << "# test sweep\n[settings]\nrepetitions = " << reps
                        << "\nwarmup = 1\nseed = 7\npool = 4\nmetrics = "
                           "[\"page_faults\"]\n\n[axes]\nbacking = [\"thp\"]\n"
                        << "folio_size = [\"2MB\"]\nstrategy = [" << strategies
                        << "]\ntarget = [\"first\", \"random\"]\naccess = [\"page\"]\n";
    return path;
  }
  std::string out(const std::string& name = "res") { return (dir_ / name).string(); }

  // (key, rep, phase) of every data row, read by the results schema (which
  // refuses a malformed row).
  static std::vector<std::tuple<std::string, std::string, std::string>> rows(
      const std::string& dir) {
    std::vector<std::tuple<std::string, std::string, std::string>> out;
    const SamplesFile f = read_samples(dir + "/samples.csv");
    EXPECT_FALSE(f.torn);
    for (const SampleRow& r : f.rows) out.emplace_back(r.key, std::to_string(r.rep), r.phase);
    return out;
  }

  // `zeroscope run CONFIG --out DIR` in a child, output discarded.
  static pid_t start_run(const std::string& cfg, const std::string& res) {
    pid_t pid = fork();
    if (pid == 0) {
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      execl(ZS_BINARY, ZS_BINARY, "run", cfg.c_str(), "--out", res.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    return pid;
  }
  // Polls until samples.csv has more than `rows` lines (or ~3000 polls).
  static void wait_for_rows(const std::string& res, int rows, std::chrono::milliseconds poll) {
    for (int i = 0; i < 3000; ++i) {
      std::ifstream in(res + "/samples.csv");
      int n = 0;
      for (std::string l; std::getline(in, l);) ++n;
      if (n > rows) return;
      std::this_thread::sleep_for(poll);
    }
  }

  fs::path dir_;
};

TEST_F(SweepRun, ResultsDirectoryHasEveryExpectedRowAndDescribesItself) {
  auto r = testing::run_zeroscope("run " + config(4) + " --out " + out());
  ASSERT_EQ(r.rc, 0) << r.err;
  auto all = rows(out());
  EXPECT_EQ(all.size(), 3u * 2 * 4 * 2);  // 3 strategies x 2 targets x 4 reps x 2 phases
  std::set<std::tuple<std::string, std::string, std::string>> unique(all.begin(), all.end());
  EXPECT_EQ(unique.size(), all.size());
  auto meta = nlohmann::json::parse(std::ifstream(out() + "/meta.json"));
  EXPECT_EQ(meta["schema"], 1);
  EXPECT_EQ(meta["status"], "complete");
  EXPECT_EQ(meta["samples"]["done"], 24);
  EXPECT_TRUE(meta["capability"].is_object());
  // The run's one access pattern, hot against cold, measured at its start.
  ASSERT_EQ(meta["access_sensitivity"].size(), 1u);
  EXPECT_EQ(meta["access_sensitivity"][0]["access"], "page:write");
  EXPECT_GT(meta["access_sensitivity"][0]["cold_ns"].get<double>(), 0);
  EXPECT_TRUE(meta["config"]["points"].is_array());
  EXPECT_FALSE(meta["zeroscope"]["commit"].get<std::string>().empty());
  EXPECT_TRUE(meta["counters"]["overhead_ns"]["timing_only_empty_phase"].is_number());
  EXPECT_TRUE(fs::exists(out() + "/config.toml"));
  // The schema: samples.csv's fixed columns around the counter columns,
  // meta.json's keys and their types.
  const SamplesFile samples = read_samples(out() + "/samples.csv");
  EXPECT_EQ(samples.layout.counters.front(), "page_faults");
  std::ifstream columns_in(out() + "/samples.csv");
  std::string columns;
  std::getline(columns_in, columns);
  EXPECT_EQ(columns + "\n", format_header(samples.layout));
  for (const char* k :
       {"schema", "zeroscope", "label", "capability", "config", "placement", "llc", "tsc",
        "counters", "pools", "started", "ended", "status", "samples", "resumed"})
    EXPECT_TRUE(meta.contains(k)) << k;
  EXPECT_TRUE(meta["counters"]["not_measured"].is_object());
  int left_out = 0;
  for (auto& [reason, n] : meta["samples"]["left_out"].items()) left_out += n.get<int>();
  EXPECT_EQ(meta["samples"]["kept"].get<int>() + left_out, 24);
  std::ifstream summary(out() + "/summary.csv");
  std::string header;
  std::getline(summary, header);
  EXPECT_EQ(header, "key,phase,column,n,mean,median,stddev,min,p5,p95");
  int lines = 0;
  for (std::string l; std::getline(summary, l);) ++lines;
  EXPECT_GT(lines, 6);
}

// `measure --csv` writes the samples.csv schema: the same header as a run
// counting the same metrics, and rows the schema reads.
TEST_F(SweepRun, MeasureCsvHasTheHeaderOfSamplesCsv) {
  ASSERT_EQ(testing::run_zeroscope("run " + config(1) + " --out " + out()).rc, 0);
  const std::string csv = (dir_ / "measure.csv").string();
  auto r = testing::run_zeroscope(
      "measure --metrics page_faults --strategy extent --target first --reps 2 "
      "--warmup 0 --pool 4 --csv " +
      csv);
  ASSERT_EQ(r.rc, 0) << r.err;
  std::string run_header, measure_header;
  std::getline(std::ifstream(out() + "/samples.csv"), run_header);
  std::getline(std::ifstream(csv), measure_header);
  EXPECT_EQ(measure_header, run_header);
  EXPECT_EQ(read_samples(csv).rows.size(), 4u);  // 2 samples x (zero, access)
}

TEST_F(SweepRun, InterleavingIsSeededAndDeterministic) {
  const std::string cfg = config(3);
  ASSERT_EQ(testing::run_zeroscope("run " + cfg + " --out " + out("a")).rc, 0);
  ASSERT_EQ(testing::run_zeroscope("run " + cfg + " --out " + out("b")).rc, 0);
  auto a = rows(out("a")), b = rows(out("b"));
  EXPECT_EQ(a, b);
  // Interleaved: each repetition visits every point, in its own seeded
  // order (seed 7 gives different orders for repetitions 0 and 1).
  std::vector<std::string> first, second;
  for (auto& [k, rep, ph] : a) {
    if (rep == "0" && ph == "access") first.push_back(k);
    if (rep == "1" && ph == "access") second.push_back(k);
  }
  EXPECT_EQ(first.size(), 6u);
  EXPECT_EQ(std::set<std::string>(first.begin(), first.end()).size(), 6u);
  EXPECT_NE(first, second);
}

TEST_F(SweepRun, ResumeAfterSigkillYieldsExactlyTheExpectedRows) {
  const std::string cfg = config(300);
  const std::string res = out();
  std::mt19937 rng(static_cast<unsigned>(std::random_device{}()));
  pid_t pid = start_run(cfg, res);
  ASSERT_GE(pid, 0);
  // Kill it at a random moment once it is measuring.
  const int want_rows = 20 + int(rng() % 300);
  wait_for_rows(res, want_rows, std::chrono::milliseconds(5));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be killed";
  const auto before = rows(res).size();
  EXPECT_LT(before, 6u * 300 * 2);

  auto r = testing::run_zeroscope("run --resume " + res);
  ASSERT_EQ(r.rc, 0) << r.err;
  auto all = rows(res);
  EXPECT_EQ(all.size(), 6u * 300 * 2);
  std::set<std::tuple<std::string, std::string, std::string>> unique(all.begin(), all.end());
  EXPECT_EQ(unique.size(), all.size()) << "a sample was repeated";
  auto meta = nlohmann::json::parse(std::ifstream(res + "/meta.json"));
  EXPECT_EQ(meta["status"], "complete");
  EXPECT_EQ(meta["resumed"].size(), 1u);
}

TEST_F(SweepRun, SigintStopsAfterTheCurrentSampleAndResumes) {
  const std::string cfg = config(3000);
  const std::string res = out();
  pid_t pid = start_run(cfg, res);
  ASSERT_GE(pid, 0);
  wait_for_rows(res, 50, std::chrono::milliseconds(2));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  auto meta = nlohmann::json::parse(std::ifstream(res + "/meta.json"));
  EXPECT_EQ(meta["status"], "interrupted");
  EXPECT_TRUE(fs::exists(res + "/summary.csv"));
  const auto before = rows(res);
  EXPECT_EQ(before.size() % 2, 0u) << "a sample was cut in half";
  auto r = testing::run_zeroscope("run --resume " + res);
  ASSERT_EQ(r.rc, 0) << r.err;
  auto all = rows(res);
  EXPECT_EQ(all.size(), 6u * 3000 * 2);
  std::set<std::tuple<std::string, std::string, std::string>> unique(all.begin(), all.end());
  EXPECT_EQ(unique.size(), all.size());
}

TEST_F(SweepRun, ResumeRefusesADifferentConfig) {
  const std::string cfg = config(2);
  ASSERT_EQ(testing::run_zeroscope("run " + cfg + " --out " + out()).rc, 0);
  std::string other = (dir_ / "other.toml").string();
  std::ofstream(other) << "[settings]\nrepetitions = 3\n[axes]\nbacking = [\"thp\"]\n";
  auto r = testing::run_zeroscope("run " + other + " --resume " + out());
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("different config"), std::string::npos) << r.err;
}

TEST_F(SweepRun, DryRunAndBadConfigsCreateNoDirectory) {
  auto r = testing::run_zeroscope("run " + config(5) + " --dry-run --out " + out());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("6 points x 5 repetitions = 30 samples"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out()));
  std::string bad = (dir_ / "bad.toml").string();
  std::ofstream(bad) << "[axes]\nstratgy = [\"extent\"]\n";
  r = testing::run_zeroscope("run " + bad + " --out " + out());
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_FALSE(fs::exists(out()));
}

// run --cpu: the CPU over the config's, recorded in meta.json; a resume
// keeps it and refuses another; a CPU this process may not use is refused
// before anything is written.
TEST_F(SweepRun, CpuOptionIsRecordedAndKeptByAResume) {
  const std::string cfg = config(1, R"("extent")");
  auto bad = testing::run_zeroscope("run " + cfg + " --cpu 100000 --out " + out("bad"));
  EXPECT_EQ(bad.rc, 2);
  EXPECT_NE(bad.err.find("--cpu: CPU 100000 is not one this process may run on"), std::string::npos)
      << bad.err;
  EXPECT_FALSE(fs::exists(out("bad")));
  auto r = testing::run_zeroscope("run " + cfg + " --cpu 0 --out " + out());
  ASSERT_EQ(r.rc, 0) << r.err;
  std::ifstream in(out() + "/meta.json");
  const nlohmann::json meta = nlohmann::json::parse(in);
  EXPECT_EQ(meta["run_options"]["cpu"], 0);
  EXPECT_EQ(meta["placement"]["cpu"], 0);
  auto other = testing::run_zeroscope("run --resume " + out() + " --cpu 1");
  EXPECT_EQ(other.rc, 2);
  EXPECT_NE(other.err.find("was measured on cpu 0; resume it without --cpu"), std::string::npos)
      << other.err;
}

}  // namespace
}  // namespace zs
