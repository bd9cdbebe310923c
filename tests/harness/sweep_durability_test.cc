// `zeroscope run --resume` and the run's own writes against what lab users
// do to a results directory (issue 10's rows 2, 3, 4, 5, 8, 10 and the
// resume command of 14): a torn access row, an edited config.toml,
// duplicated rows, a deleted samples.csv, a hang-up under nohup, a full
// disk, and a hugetlb run resumed with the command it printed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
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
using Rows = std::vector<std::tuple<std::string, std::uint64_t, std::string>>;

class SweepDurability : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = zs::test::fresh_test_dir("zs_durable_"); }
  void TearDown() override {
    if (mounted_) umount2(mounted_->c_str(), MNT_DETACH);
    fs::remove_all(dir_);
  }

  // 2 points (a zero+access one, a fault+access one) x reps.
  std::string config(int reps, const std::string& backing = "thp") {
    std::string path = (dir_ / "sweep.toml").string();
    std::ofstream(path) << "[settings]\nrepetitions = " << reps
                        << "\nwarmup = 1\nseed = 7\npool = 4\nmetrics = [\"page_faults\"]\n\n"
                        << "[axes]\nbacking = [\"" << backing << "\"]\nfolio_size = [\"2MB\"]\n"
                        << "strategy = [\"extent\", \"kernel-fault\"]\ntarget = [\"first\"]\n"
                        << "access = [\"page\"]\n";
    return path;
  }
  std::string out(const std::string& name = "res") { return (dir_ / name).string(); }

  static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void spit(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }
  static nlohmann::json meta(const std::string& res) {
    return nlohmann::json::parse(std::ifstream(res + "/meta.json"));
  }
  static Rows rows(const std::string& res) {
    Rows v;
    const SamplesFile f = read_samples(res + "/samples.csv");
    EXPECT_FALSE(f.torn);
    for (const SampleRow& r : f.rows) v.emplace_back(r.key, r.rep, r.phase);
    return v;
  }
  // Every sample exactly once with both its phases: 2 points x reps x 2 rows.
  static void expect_whole(const std::string& res, int reps) {
    const Rows all = rows(res);
    EXPECT_EQ(all.size(), 2u * reps * 2);
    EXPECT_EQ(std::set(all.begin(), all.end()).size(), all.size()) << "a duplicated row";
    std::map<std::pair<std::string, std::uint64_t>, int> per_sample;
    for (auto& [k, rep, ph] : all) ++per_sample[{k, rep}];
    EXPECT_EQ(per_sample.size(), 2u * reps);
    for (auto& [s, n] : per_sample) EXPECT_EQ(n, 2) << s.first << " rep " << s.second;
  }

  // `zeroscope run ARGS` in a child, SIGHUP ignored first when asked (as
  // nohup does), stderr into a file.
  pid_t start(const std::vector<std::string>& args, bool ignore_hup = false) {
    err_ = (dir_ / "run.err").string();
    pid_t pid = fork();
    if (pid == 0) {
      if (ignore_hup) signal(SIGHUP, SIG_IGN);
      if (!freopen("/dev/null", "w", stdout) || !freopen(err_.c_str(), "w", stderr)) _exit(126);
      std::vector<char*> argv = {const_cast<char*>(ZS_BINARY), const_cast<char*>("run")};
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(ZS_BINARY, argv.data());
      _exit(127);
    }
    return pid;
  }
  static void wait_for_rows(const std::string& res, int rows) {
    for (int i = 0; i < 6000; ++i) {
      std::ifstream in(res + "/samples.csv");
      int n = 0;
      for (std::string l; std::getline(in, l);) ++n;
      if (n > rows) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  static int wait_exit(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  fs::path dir_;
  std::string err_;
  std::optional<std::string> mounted_;
};

// Row 2: the power cut tore the access row of the last sample (its zero
// row is whole): that sample is not done; it is cut and measured again.
TEST_F(SweepDurability, TornAccessRowIsCutAndTheSampleRedone) {
  ASSERT_EQ(testing::run_zeroscope("run " + config(3) + " --out " + out()).rc, 0);
  const std::string csv = out() + "/samples.csv";
  std::string text = slurp(csv);
  ASSERT_EQ(text.back(), '\n');
  const std::size_t last = text.rfind('\n', text.size() - 2) + 1;  // the last row: access
  ASSERT_NE(text.find(",access,", last), std::string::npos);
  spit(csv, text.substr(0, last + 10));  // ten bytes of it
  auto r = testing::run_zeroscope("run --resume " + out());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("1 partial samples (measured again), a torn last line"), std::string::npos)
      << r.err;
  expect_whole(out(), 3);
  const auto m = meta(out());
  EXPECT_EQ(m["samples"]["done"], 6);
  EXPECT_EQ(m["resumed"][0]["partial_samples_cut"], 1);
  EXPECT_EQ(m["resumed"][0]["samples_already_done"], 5);

  // The whole access row lost (the cut fell on a line end) is the same.
  text = slurp(csv);
  spit(csv, text.substr(0, text.rfind('\n', text.size() - 2) + 1));
  r = testing::run_zeroscope("run --resume " + out());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("1 partial samples"), std::string::npos) << r.err;
  expect_whole(out(), 3);
}

// Row 3: an edited config.toml is refused, naming what changed; the
// original back, the resume goes on.
TEST_F(SweepDurability, EditedConfigIsRefusedNamingWhatChanged) {
  ASSERT_EQ(testing::run_zeroscope("run " + config(2) + " --out " + out()).rc, 0);
  const std::string toml = out() + "/config.toml", original = slurp(toml);
  std::string edited = original;
  edited.replace(edited.find("repetitions = 2"), 15, "repetitions = 3");
  spit(toml, edited);
  auto r = testing::run_zeroscope("run --resume " + out());
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("config.toml changed since the run started (fingerprint "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("settings.repetitions was 2, now 3"), std::string::npos) << r.err;
  // A changed axis, and a comment only (refused too: not the file the run started with).
  edited = original;
  edited.replace(edited.find("\"kernel-fault\""), 14, "\"left-right\"");
  spit(toml, edited);
  r = testing::run_zeroscope("run --resume " + out());
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("axes.strategy"), std::string::npos) << r.err;
  spit(toml, original + "# a note\n");
  r = testing::run_zeroscope("run --resume " + out());
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("the text only"), std::string::npos) << r.err;
  spit(toml, original);
  r = testing::run_zeroscope("run --resume " + out());
  EXPECT_EQ(r.rc, 0) << r.err;
  expect_whole(out(), 2);
}

// Row 4: duplicated rows are removed, counted in the output and meta.json.
TEST_F(SweepDurability, DuplicatedRowsAreRemovedAndCounted) {
  ASSERT_EQ(testing::run_zeroscope("run " + config(3) + " --out " + out()).rc, 0);
  const std::string csv = out() + "/samples.csv";
  std::string text = slurp(csv);
  const std::size_t first = text.find('\n') + 1,
                    third = text.find('\n', text.find('\n', first) + 1);
  text += text.substr(first, third + 1 - first);                   // the first sample again
  text += text.substr(first, text.find('\n', first) + 1 - first);  // and its first row a third time
  spit(csv, text);
  auto r = testing::run_zeroscope("run --resume " + out());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("removed 3 duplicated rows"), std::string::npos) << r.err;
  expect_whole(out(), 3);
  const auto m = meta(out());
  EXPECT_EQ(m["samples"]["duplicate_rows_removed"], 3);
  EXPECT_EQ(m["samples"]["done"], 6);
  EXPECT_EQ(m["samples"]["rows"], 12);
}

// Row 5: a deleted samples.csv is refused; --restart measures it all again.
TEST_F(SweepDurability, MissingSamplesIsRefusedUnlessRestart) {
  ASSERT_EQ(testing::run_zeroscope("run " + config(2) + " --out " + out()).rc, 0);
  fs::remove(out() + "/samples.csv");
  auto r = testing::run_zeroscope("run --resume " + out());
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("samples.csv is missing"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--restart"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out() + "/samples.csv"));
  r = testing::run_zeroscope("run --restart " + config(2) + " --out " + out("other"));
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--restart: only with --resume"), std::string::npos) << r.err;
  spit(out() + "/samples.csv", "");  // emptied: the same
  r = testing::run_zeroscope("run --resume " + out());
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("samples.csv is empty"), std::string::npos) << r.err;
  r = testing::run_zeroscope("run --resume " + out() + " --restart");
  ASSERT_EQ(r.rc, 0) << r.err;
  expect_whole(out(), 2);
  r = testing::run_zeroscope("run --resume " + out() + " --restart");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("samples.csv is there"), std::string::npos) << r.err;
}

// A resume while the run is still writing the directory is refused: two
// writers would interleave and repeat samples.
TEST_F(SweepDurability, ResumeOfALiveRunIsRefused) {
  const pid_t pid = start({config(3000), "--out", out()});
  ASSERT_GT(pid, 0);
  wait_for_rows(out(), 20);
  auto r = testing::run_zeroscope("run --resume " + out());
  kill(pid, SIGINT);
  EXPECT_EQ(wait_exit(pid), 130) << slurp(err_);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("still running"), std::string::npos) << r.err;
  r = testing::run_zeroscope("run --resume " + out());
  ASSERT_EQ(r.rc, 0) << r.err;
  expect_whole(out(), 3000);
}

// Row 8: under nohup (SIGHUP ignored when started) a hang-up changes
// nothing; the sweep completes.
TEST_F(SweepDurability, NohupRunSurvivesAHangUp) {
  const pid_t pid = start({config(150), "--out", out()}, true);
  ASSERT_GT(pid, 0);
  wait_for_rows(out(), 20);
  ASSERT_EQ(kill(pid, SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  kill(pid, SIGHUP);
  EXPECT_EQ(wait_exit(pid), 0) << slurp(err_);
  EXPECT_EQ(meta(out())["status"], "complete");
  expect_whole(out(), 150);
}

// Row 10: the disk fills up while measuring: exit 4, one line with the
// cause and the fix, samples.csv cut to whole samples, meta.json failed;
// once there is space, the printed command completes it.
TEST_F(SweepDurability, FullDiskFailsCleanlyAndResumes) {
  const std::string mnt = out("fs");
  fs::create_directories(mnt);
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  if (mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=160k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  mounted_ = mnt;
  const std::string res = mnt + "/res";
  auto r = testing::run_zeroscope("run " + config(2000) + " --out " + res);
  ASSERT_EQ(r.rc, 4) << r.err;
  // the start line, the kernel's path for the run's folio, the failure
  EXPECT_EQ(testing::count_lines(r.err), 3) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("complete it with: zeroscope run --resume " + res), std::string::npos)
      << r.err;
  const std::string text = slurp(res + "/samples.csv");
  EXPECT_EQ(text.back(), '\n');
  const auto m = meta(res);
  EXPECT_EQ(m["status"], "failed");
  EXPECT_NE(m["failure"].get<std::string>().find("No space left"), std::string::npos);
  const Rows before = rows(res);
  EXPECT_EQ(before.size() % 2, 0u);
  EXPECT_GT(before.size(), 0u);
  EXPECT_FALSE(fs::exists(res + "/.reserve"));
  EXPECT_FALSE(fs::exists(res + "/.meta.json.tmp"));
  ASSERT_EQ(mount("tmpfs", mnt.c_str(), "tmpfs", MS_REMOUNT, "size=16m"), 0) << strerror(errno);
  r = testing::run_zeroscope("run --resume " + res);
  ASSERT_EQ(r.rc, 0) << r.err;
  expect_whole(res, 2000);
  EXPECT_EQ(meta(res)["status"], "complete");
  EXPECT_FALSE(meta(res).contains("failure"));
}

// Row 14: a --reserve-hugetlb run, interrupted, is completed by exactly the
// command it printed (the options are remembered in meta.json).
TEST_F(SweepDurability, PrintedResumeCommandWorksForAHugetlbRun) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to reserve hugetlb pages";
  const pid_t pid = start({config(1000, "hugetlb"), "--out", out(), "--reserve-hugetlb"});
  ASSERT_GT(pid, 0);
  wait_for_rows(out(), 20);
  kill(pid, SIGINT);
  const int rc = wait_exit(pid);
  const std::string err = slurp(err_);
  if (rc == 2) GTEST_SKIP() << "no hugetlb run here: " << err;
  ASSERT_EQ(rc, 130) << err;
  const std::string printed = "complete it with: zeroscope run --resume " + out() + "\n";
  ASSERT_NE(err.find(printed), std::string::npos) << err;
  EXPECT_EQ(meta(out())["run_options"]["reserve_hugetlb"], true);
  auto r = testing::run_zeroscope("run --resume " + out());
  ASSERT_EQ(r.rc, 0) << r.err;
  expect_whole(out(), 1000);
  EXPECT_EQ(meta(out())["run_options"]["reserve_hugetlb"], true);
}

}  // namespace
}  // namespace zs
