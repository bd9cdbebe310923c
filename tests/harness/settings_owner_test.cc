// Who owns nr_hugepages, through the zeroscope binary (issue 10, rows 1 and
// 9): a live `run --reserve-hugetlb`, even one under another process name,
// is never touched by another command, and a second run reserving the same
// pool is refused naming it, or waits with --wait; after SIGKILL, `info`,
// `primitives` and `events` each put the pool back and say so in one line.
// Needs root and a 2 MiB hugetlb pool; skips with the reason otherwise.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "machine/sysfs.h"
#include "memory/hugetlb_pool.h"
#include "support/run_binary.h"

namespace zs {
namespace {

namespace fs = std::filesystem;
constexpr std::uint64_t k2M = 2u << 20;

class SettingsOwner : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to raise nr_hugepages";
    auto pool = hugetlb_pool(k2M);
    if (!pool) GTEST_SKIP() << "no 2 MiB hugetlb pool on this kernel";
    before_ = pool->nr;
    std::string tmpl = ::testing::TempDir() + "/zs_owner_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    state_ = dir_ + "/state";
    // A copy of the binary under another name: ownership is not by name.
    renamed_ = dir_ + "/lab-sweeper";
    fs::copy_file(ZS_BINARY, renamed_);
    fs::permissions(renamed_, fs::perms::owner_all);
  }
  void TearDown() override {
    if (dir_.empty()) return;
    testing::run_zeroscope("info", {env(), "/dev/null"});  // recovers anything left
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  std::string env() const { return "ZS_STATE_DIR='" + state_ + "'"; }
  // A sweep of `reps` samples on 4 hugetlb folios: reserved, so the pool rises.
  std::string config(int reps) {
    std::string path = dir_ + "/hugetlb" + std::to_string(reps) + ".toml";
    std::ofstream(path) << "[settings]\nrepetitions = " << reps
                        << "\nwarmup = 0\npool = 4\n[axes]\nbacking = [\"hugetlb\"]\n"
                           "folio_size = [\"2MB\"]\nstrategy = [\"kernel-fault\"]\n"
                           "target = [\"first\"]\naccess = [\"none\"]\n";
    return path;
  }
  static std::uint64_t nr() { return hugetlb_pool(k2M)->nr; }
  // Starts `binary run CONFIG --reserve-hugetlb --out OUT` in the background
  // and waits until it has raised the pool (its record is written first).
  pid_t start_run(const std::string& binary, int reps, const std::string& out) {
    std::string cfg = config(reps), err = dir_ + "/bg.err";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setenv("ZS_STATE_DIR", state_.c_str(), 1);
      int null = ::open("/dev/null", O_WRONLY);
      int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(null, 1);
      ::dup2(e, 2);
      ::execl(binary.c_str(), binary.c_str(), "run", cfg.c_str(), "--reserve-hugetlb", "--out",
              out.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 2000 && nr() <= before_; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // into the measuring loop
    return pid;
  }
  static int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::uint64_t before_ = 0;
  std::string dir_, state_, renamed_;
};

// Row 1: the live run keeps its pool and completes.
TEST_F(SettingsOwner, ALiveRunUnderAnotherNameIsNeverTouched) {
  pid_t first = start_run(renamed_, 60000, dir_ + "/first");
  const std::uint64_t raised = nr();
  ASSERT_GT(raised, before_) << "the first run never raised the pool";

  testing::Result info = testing::run_zeroscope("info", {env(), "/dev/null"});
  EXPECT_EQ(info.rc, 0) << info.err;
  EXPECT_EQ(info.err.find("restored"), std::string::npos) << info.err;
  EXPECT_EQ(nr(), raised) << "info took the live run's pool";

  testing::Result second = testing::run_zeroscope(
      "run " + config(2) + " --reserve-hugetlb --out " + dir_ + "/second", {env(), ""});
  EXPECT_EQ(second.rc, 2) << second.err;
  EXPECT_NE(second.err.find("pid " + std::to_string(first)), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("lab-sweeper run"), std::string::npos)
      << "its command line" << second.err;
  EXPECT_NE(second.err.find("--wait"), std::string::npos) << second.err;
  EXPECT_EQ(testing::count_lines(second.err), 1) << second.err;
  EXPECT_FALSE(fs::exists(dir_ + "/second/samples.csv"));
  EXPECT_EQ(nr(), raised);

  // With --wait: it waits for the first to finish, then runs on its own reservation.
  testing::Result waited = testing::run_zeroscope(
      "run " + config(2) + " --reserve-hugetlb --wait --out " + dir_ + "/waited", {env(), ""});
  EXPECT_EQ(waited.rc, 0) << waited.err;
  EXPECT_NE(waited.err.find("waiting for pid " + std::to_string(first)), std::string::npos)
      << waited.err;

  EXPECT_EQ(wait_exit(first), 0) << sysfs::read(dir_ + "/bg.err").value_or("");
  std::string meta = sysfs::read(dir_ + "/first/meta.json").value_or("");
  EXPECT_NE(meta.find("\"complete\""), std::string::npos) << meta;
  EXPECT_EQ(nr(), before_);
}

// Row 9: after SIGKILL, any command restores the pool and says so once.
TEST_F(SettingsOwner, AfterSigkillInfoPrimitivesAndEventsRestoreThePool) {
  for (const std::string cmd : {"info", "primitives", "events"}) {
    pid_t pid = start_run(ZS_BINARY, 1000000, dir_ + "/killed-" + cmd);
    ASSERT_GT(nr(), before_) << "the run never raised the pool";
    ::kill(pid, SIGKILL);
    wait_exit(pid);
    ASSERT_GT(nr(), before_) << "SIGKILL restores nothing by itself";
    testing::Result r = testing::run_zeroscope(cmd, {env(), "/dev/null"});
    EXPECT_EQ(nr(), before_) << cmd << ": " << r.err;
    const std::string line = "zeroscope " + cmd +
                             ": restored /sys/kernel/mm/hugepages/"
                             "hugepages-2048kB/nr_hugepages to " +
                             std::to_string(before_);
    EXPECT_NE(r.err.find(line), std::string::npos) << cmd << ": " << r.err;
    EXPECT_EQ(r.err.find("restored", r.err.find(line) + line.size()), std::string::npos) << r.err;
    testing::Result again = testing::run_zeroscope(cmd, {env(), "/dev/null"});
    EXPECT_EQ(again.err.find("restored"), std::string::npos) << "once: " << again.err;
  }
}

}  // namespace
}  // namespace zs
