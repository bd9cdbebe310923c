// hugetlb pools: what the kernel offers, the one-line error when a run
// would be short of pages (before anything is measured), and -- as root --
// that a pool raised for a run goes back to what it was however the run ends.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "support/run_binary.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "common/errors.h"
#include "common/units.h"
#include "machine/sysfs.h"
#include "memory/hugetlb_pool.h"
#include "memory/setting_guard.h"

namespace zs {
namespace {

constexpr std::uint64_t k2M = 2u << 20;

using testing::Result;

class HugetlbPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/zs_hugetlb_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    // The binary's state file goes here, never beside a real run's.
    ::setenv("ZS_STATE_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("ZS_STATE_DIR");
    std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  Result run(const std::string& args, const std::string& stdout_to = "") {
    return testing::run_zeroscope(args, {"ZS_STATE_DIR='" + dir_ + "'", stdout_to});
  }
  // Pages to ask for so that the 2 MiB pool is sure to be short by `extra`.
  static std::uint64_t short_by(std::uint64_t extra) {
    return hugetlb_pool(k2M)->available() + extra;
  }
  static std::uint64_t nr() { return hugetlb_pool(k2M)->nr; }
  std::string dir_;
};

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

// How folio and pool sizes are named in every message (common/units.h).
TEST(ExactSize, BinaryUnits) {
  EXPECT_EQ(exact_size(4096), "4 KiB");
  EXPECT_EQ(exact_size(2097152), "2 MiB");
  EXPECT_EQ(exact_size(1073741824), "1 GiB");
  EXPECT_EQ(exact_size(65536), "64 KiB");
  EXPECT_EQ(exact_size(3u << 20), "3 MiB");
  EXPECT_EQ(exact_size(1000), "1000 B");
}

TEST_F(HugetlbPoolTest, PoolsAsTheKernelListsThem) {
  auto pools = hugetlb_pools();
  if (pools.empty()) GTEST_SKIP() << "no hugetlb pools (kernel without CONFIG_HUGETLBFS)";
  EXPECT_TRUE(std::is_sorted(
      pools.begin(), pools.end(),
      [](const HugetlbPool& a, const HugetlbPool& b) { return a.page_bytes < b.page_bytes; }));
  for (const auto& p : pools) {
    EXPECT_EQ(p.dir,
              "/sys/kernel/mm/hugepages/hugepages-" + std::to_string(p.page_bytes >> 10) + "kB");
    EXPECT_EQ(sysfs::read_u64(p.dir + "/nr_hugepages"), p.nr);
    EXPECT_LE(p.available(), p.free);
  }
}

TEST_F(HugetlbPoolTest, EnoughPagesChangeNothing) {
  if (!hugetlb_pool(k2M)) GTEST_SKIP() << "no 2 MiB hugetlb pool";
  HugetlbReservation r = ensure_hugetlb_pages(k2M, 0, false);
  EXPECT_FALSE(r.raised());
}

TEST_F(HugetlbPoolTest, AShortPoolIsOneLineWithTheNumbersAndTheCommand) {
  auto pool = hugetlb_pool(k2M);
  if (!pool) GTEST_SKIP() << "no 2 MiB hugetlb pool";
  const std::uint64_t needed = short_by(64);
  try {
    ensure_hugetlb_pages(k2M, needed, false);
    FAIL() << "no SetupError";
  } catch (const SetupError& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find("hugetlb 2 MiB pool: the run needs " + std::to_string(needed) + " pages, " +
                       std::to_string(pool->free)),
              std::string::npos)
        << msg;
    std::uint64_t target = pool->nr - pool->surplus + 64;
    EXPECT_NE(
        msg.find("'echo " + std::to_string(target) + " > " + pool->dir + "/nr_hugepages' as root"),
        std::string::npos)
        << msg;
    // The library names the option; the CLI renders it as --reserve-hugetlb.
    EXPECT_NE(msg.find(option_ref(Option::reserve_hugetlb)), std::string::npos) << msg;
  }
}

TEST_F(HugetlbPoolTest, AnUnofferedSizeNamesTheOfferedOnes) {
  if (hugetlb_pools().empty()) GTEST_SKIP() << "no hugetlb pools";
  try {
    ensure_hugetlb_pages(3u << 20, 1, false);
    FAIL() << "no SetupError";
  } catch (const SetupError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("3 MiB"), std::string::npos) << msg;
    for (const auto& p : hugetlb_pools())
      EXPECT_NE(msg.find(exact_size(p.page_bytes)), std::string::npos) << msg;
  }
}

TEST_F(HugetlbPoolTest, TheBinaryFailsBeforeMeasuringWhenThePoolIsShort) {
  if (!hugetlb_pool(k2M)) GTEST_SKIP() << "no 2 MiB hugetlb pool";
  const std::uint64_t pages = std::max<std::uint64_t>(32, short_by(1));
  Result r =
      run("mmap-bench --page 2MB --backing hugetlb --size " + std::to_string(pages * 2) + "MB");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "") << "nothing measured, nothing printed";
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("needs " + std::to_string(pages) + " pages"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("echo "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--reserve-hugetlb"), std::string::npos) << r.err;
}

class HugetlbReserveAsRoot : public HugetlbPoolTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "raising nr_hugepages needs root";
    if (!hugetlb_pool(k2M)) GTEST_SKIP() << "no 2 MiB hugetlb pool";
    HugetlbPoolTest::SetUp();
    before_ = nr();
    // Short by 8 pages whatever the pool holds, so the run must raise it.
    size_ = std::to_string(short_by(8) * 2) + "MB";
  }
  std::uint64_t before_ = 0;
  std::string size_;
};

TEST_F(HugetlbReserveAsRoot, RestoredAfterANormalExit) {
  Result r = run("mmap-bench --page 2MB --backing hugetlb --reserve-hugetlb --size " + size_);
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("GB/sec"), std::string::npos) << r.out;
  EXPECT_EQ(nr(), before_);
  EXPECT_TRUE(settings_records_in(settings_state_dir()).empty());
}

TEST_F(HugetlbReserveAsRoot, RestoredAfterAnErrorExit) {
  // /dev/full: the first write of the results fails after the pool was raised.
  Result r =
      run("mmap-bench --page 2MB --backing hugetlb --reserve-hugetlb --size " + size_, "/dev/full");
  EXPECT_EQ(r.rc, 1) << r.err;
  EXPECT_NE(r.err.find("stdout"), std::string::npos) << r.err;
  EXPECT_EQ(nr(), before_);
  EXPECT_TRUE(settings_records_in(settings_state_dir()).empty());
}

TEST_F(HugetlbReserveAsRoot, RestoredAfterSigintMidRun) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(ZS_BINARY, "zeroscope", "mmap-bench", "--page", "2MB", "--backing", "hugetlb",
            "--reserve-hugetlb", "--size", size_.c_str(), "--loops", "1000000",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool rose = false;
  for (int i = 0; i < 1000 && !rose; ++i) {
    rose = nr() > before_;
    if (!rose) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Into the measuring loops, not still setting up.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ::kill(pid, rose ? SIGINT : SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  if (!rose) {
    recover_leftover_settings();
    FAIL() << "nr_hugepages never rose above " << before_;
  }
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << "status " << status;
  EXPECT_EQ(nr(), before_);
  EXPECT_TRUE(settings_records_in(settings_state_dir()).empty())
      << "the handler removes the record";
  if (nr() != before_) recover_leftover_settings();
}

}  // namespace
}  // namespace zs
