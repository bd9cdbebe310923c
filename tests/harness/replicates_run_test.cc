// `zeroscope run --replicates N` for real (a system test: it measures and
// sets up pools): the parent and its rep-1..N, the children's recorded
// order seeds, report and compare of the parent, a SIGINT to the parent
// and its resume.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/run_binary.h"
#include "support/test_dir.h"
#include "sweep/replicates.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

class ReplicatesRun : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = test::fresh_test_dir("zs_replicates_"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string config(int reps) {
    const std::string path = (dir_ / "tiny.toml").string();
    std::ofstream(path) << "[settings]\nrepetitions = " << reps
                        << "\nwarmup = 0\nseed = 7\npool = 4\nmetrics = [\"page_faults\"]\n\n"
                           "[axes]\nbacking = [\"thp\"]\nfolio_size = [\"2MB\"]\nstrategy = "
                           "[\"extent\", \"left-right\"]\ntarget = [\"first\"]\naccess = "
                           "[\"page\"]\n";
    return path;
  }
  std::string out(const std::string& name) { return (dir_ / name).string(); }
  static nlohmann::json meta(const std::string& dir) {
    return nlohmann::json::parse(std::ifstream(dir + "/meta.json"));
  }
  fs::path dir_;
};

TEST_F(ReplicatesRun, TwoRunsIntoRepDirectoriesThatReportAndCompareTake) {
  const std::string cfg = config(2);
  auto r = testing::run_zeroscope("run --replicates 2 " + cfg + " --out " + out("p1"));
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("starting replicate 2 of 2"), std::string::npos) << r.err;
  for (const char* rep : {"rep-1", "rep-2"}) {
    EXPECT_TRUE(fs::exists(out("p1") + "/" + rep + "/samples.csv")) << rep;
    EXPECT_EQ(meta(out("p1") + "/" + rep)["status"], "complete") << rep;
  }
  const nlohmann::json m = meta(out("p1"));
  EXPECT_EQ(m["kind"], "replicates");
  EXPECT_EQ(m["status"], "complete");
  EXPECT_EQ(m["config_seed"], 7);
  ASSERT_EQ(m["runs"].size(), 2u);
  for (int i = 1; i <= 2; ++i) {
    const auto& run = m["runs"][i - 1];
    EXPECT_EQ(run["dir"], "rep-" + std::to_string(i));
    EXPECT_EQ(run["status"], "complete");
    EXPECT_EQ(run["exit_code"], 0);
    EXPECT_EQ(run["seed"], replicate_seed(7, i));
    EXPECT_EQ(meta(out("p1") + "/rep-" + std::to_string(i))["replicate"]["seed"],
              replicate_seed(7, i));
  }
  EXPECT_TRUE(fs::exists(out("p1") + "/config.toml"));

  auto rep = testing::run_zeroscope("report " + out("p1"));
  ASSERT_EQ(rep.rc, 0) << rep.err;
  EXPECT_NE(rep.out.find("runs: 2 replicates"), std::string::npos) << rep.out;

  ASSERT_EQ(testing::run_zeroscope("run --replicates 2 " + cfg + " --out " + out("p2")).rc, 0);
  auto cmp = testing::run_zeroscope("compare " + out("p1") + " " + out("p2"));
  ASSERT_EQ(cmp.rc, 0) << cmp.err;
  EXPECT_NE(cmp.out.find("2 runs"), std::string::npos) << cmp.out;
  EXPECT_EQ(cmp.out.find("no verdict"), std::string::npos) << cmp.out;
  auto one = testing::run_zeroscope("compare " + out("p1") + " " + out("p2") + "/rep-1");
  ASSERT_EQ(one.rc, 0) << one.err;
  EXPECT_NE(one.out.find("one run on a side: no verdict"), std::string::npos) << one.out;
}

TEST_F(ReplicatesRun, BoundsAndCombinationsAreRefusedInOneLine) {
  const std::string cfg = config(2);
  auto r = testing::run_zeroscope("run --replicates 1 " + cfg + " --out " + out("x"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--replicates: 1 is out of range; allowed: an integer in [2, 100] runs"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out("x")));
  ASSERT_EQ(testing::run_zeroscope("run --replicates 2 " + cfg + " --out " + out("p")).rc, 0);
  r = testing::run_zeroscope("run --replicates 2 --resume " + out("p"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--replicates: not with --resume"), std::string::npos) << r.err;
  r = testing::run_zeroscope("run --replicates 2 " + cfg + " --out " + out("p"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("exists; choose another directory or resume it with --resume"),
            std::string::npos)
      << r.err;
}

TEST_F(ReplicatesRun, SigintStopsTheChildAndTheResumeCompletesEveryReplicate) {
  const std::string cfg = config(4000), parent = out("p");
  const std::string err = out("err.txt");
  pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    freopen(err.c_str(), "w", stderr);
    execl(ZS_BINARY, ZS_BINARY, "run", "--replicates", "2", cfg.c_str(), "--out", parent.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until rep-1 has measured something, then stop the parent.
  for (int i = 0; i < 3000; ++i) {
    std::ifstream in(parent + "/rep-1/samples.csv");
    int n = 0;
    for (std::string l; std::getline(in, l);) ++n;
    if (n > 50) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  std::stringstream ss;
  ss << std::ifstream(err).rdbuf();
  if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the replicates finished before the signal";
  EXPECT_EQ(WEXITSTATUS(status), 130) << ss.str();
  EXPECT_NE(ss.str().find("complete them with: zeroscope run --resume " + parent),
            std::string::npos)
      << ss.str();
  nlohmann::json m = meta(parent);
  EXPECT_EQ(m["status"], "interrupted");
  EXPECT_NE(m["runs"][0]["status"], "complete");
  EXPECT_EQ(m["runs"][1]["status"], "pending");

  auto r = testing::run_zeroscope("run --resume " + parent);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("resuming replicate 1 of 2"), std::string::npos) << r.err;
  m = meta(parent);
  EXPECT_EQ(m["status"], "complete");
  EXPECT_EQ(m["runs"][1]["status"], "complete");
  // The resumed child kept its own order seed.
  EXPECT_EQ(meta(parent + "/rep-1")["replicate"]["seed"], replicate_seed(7, 1));
  EXPECT_EQ(meta(parent + "/rep-1")["resumed"].size(), 1u);
}

}  // namespace
}  // namespace zs
