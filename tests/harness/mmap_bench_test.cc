// mmap-bench: the arithmetic of its numbers, its output shapes from a real
// run, and bad flags refused in one line naming the flag.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include "support/run_binary.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/units.h"
#include "measure/mmap_bench.h"
#include "measure/mmap_bench_warmup.h"
#include "memory/thp_settings.h"
#include "report/mmap_bench_text.h"

namespace zs {
namespace {

constexpr std::uint64_t k2M = 2u << 20, k1G = 1u << 30;

using testing::Result;

Result run(const std::string& args) {
  std::string dir = ::testing::TempDir() + "/zs_mmap_bench_" + std::to_string(::getpid());
  std::system(("mkdir -p '" + dir + "'").c_str());
  return testing::run_zeroscope("mmap-bench " + args, {"ZS_STATE_DIR='" + dir + "'", ""});
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// A run without --warmup on a guest says, in the header, why it warmed up
// (measure/mmap_bench_warmup.h); the line is dropped here so that the
// perf shapes are checked at their places.
void expect_and_drop_warmup_line(std::vector<std::string>& l) {
  const bool expected = choose_warmup(read_vm_signs(), std::nullopt).loops > 0;
  const bool there = l.size() > 3 && l[3].rfind("# warm-up: 1 untimed loop first", 0) == 0;
  EXPECT_EQ(there, expected) << (l.size() > 3 ? l[3] : "");
  if (there) l.erase(l.begin() + 3);
}

TEST(MmapBenchMath, GbPerSecIsGibPerSecondOfWhatWasTouched) {
  EXPECT_DOUBLE_EQ(*gib_per_sec(k1G, 1000000000), 1.0);
  EXPECT_DOUBLE_EQ(*gib_per_sec(64u << 20, 500000000), 0.125);
  EXPECT_DOUBLE_EQ(*gib_per_sec(1000000000, 1000000000), 1e9 / 1073741824.0)
      << "GB is 2^30, as in perf";
  EXPECT_EQ(gib_per_sec(k1G, 0), std::nullopt);
}

TEST(MmapBenchMath, TouchedBytesArePagesTimesPageSizeTimesLoops) {
  EXPECT_EQ(touched_bytes(512, k2M, 2), 2 * k1G);
  EXPECT_EQ(touched_bytes(262144, 4096, 5), 5 * k1G);
  EXPECT_EQ(touched_bytes(1, k1G, 3), 3 * k1G);
}

TEST(MmapBenchMath, MeanAndSampleStddevTwoPass) {
  MeanSpread m = mean_rel_stddev({1, 2, 3});
  EXPECT_DOUBLE_EQ(m.mean, 2.0);
  ASSERT_TRUE(m.rel_stddev);
  EXPECT_DOUBLE_EQ(*m.rel_stddev, 0.5);
  // Large offset, small spread: E[x^2] - mean^2 would lose it.
  MeanSpread big = mean_rel_stddev({1e9 + 1, 1e9 + 2, 1e9 + 3});
  EXPECT_NEAR(*big.rel_stddev * big.mean, 1.0, 1e-6);
  EXPECT_FALSE(mean_rel_stddev({5}).rel_stddev) << "one loop has no stddev";
}

TEST(MmapBenchFormat, PerfShapes) {
  EXPECT_EQ(format_rate(12.345678), "      12.345678 GB/sec\n");
  EXPECT_EQ(format_rate(0.5), "       0.500000 GB/sec\n");
  MmapBenchConfig c;
  c.fault = MmapFault::demand;
  EXPECT_EQ(format_header(c, "1GB"),
            "# Running 'mem/mmap' benchmark:\n# function 'demand' (Demand loaded mmap())\n"
            "# Copying 1GB bytes ...\n\n");
  c.fault = MmapFault::populate;
  EXPECT_NE(format_header(c, "64MB").find("# function 'populate' (Eagerly populated mmap())\n"),
            std::string::npos);
  EXPECT_EQ(compact_size(4096), "4KB");
  EXPECT_EQ(compact_size(k2M), "2MB");
  EXPECT_EQ(compact_size(k1G), "1GB");
}

TEST(MmapBenchFormat, SummaryCountsEveryLoopAndFlagsFallbacks) {
  MmapBenchConfig c;
  c.page_bytes = k2M;
  c.size_bytes = k1G;
  c.backing = MmapBacking::thp;
  c.loops = 2;
  // 1 GiB in 0.1 s is 10 GB/sec.
  std::vector<MmapLoopResult> all = {{100000000, 512}, {100000000, 512}};
  EXPECT_EQ(format_summary(c, all),
            "# 2 loops: mean 10.000000 GB/sec +- 0.00% (stddev), median 10.000000 GB/sec, 1024 "
            "pages of 2MB touched, "
            "1024 of 1024 THP-backed (smaps AnonHugePages)\n");
  std::vector<MmapLoopResult> fell_back = {{100000000, 512}, {100000000, 500}};
  std::string s = format_summary(c, fell_back);
  EXPECT_NE(s.find("1012 of 1024 THP-backed"), std::string::npos) << s;
  EXPECT_NE(s.find("\n# WARNING: only 1012 of 1024 2MB pages were THP-backed: this measured 4KB "
                   "faults too\n"),
            std::string::npos)
      << s;
  std::vector<MmapLoopResult> unknown = {{100000000, std::nullopt}};
  s = format_summary(c, unknown);
  EXPECT_NE(s.find("(one loop: no variance is known)"), std::string::npos) << s;
  EXPECT_NE(s.find("# WARNING"), std::string::npos)
      << "unverified is never passed off as huge: " << s;
}

TEST(MmapBenchRun, ThpRunPrintsExactlyThePerfShapes) {
  if (auto why = thp_size_unusable(k2M)) GTEST_SKIP() << *why;
  Result r = run("--page 2MB --backing thp --size 64MB --loops 2");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.err, "");
  auto l = split_lines(r.out);
  expect_and_drop_warmup_line(l);
  ASSERT_GE(l.size(), 7u) << r.out;
  EXPECT_EQ(l[0], "# Running 'mem/mmap' benchmark:");
  EXPECT_EQ(l[1], "# function 'demand' (Demand loaded mmap())");
  EXPECT_EQ(l[2], "# Copying 64MB bytes ...");
  EXPECT_EQ(l[3], "");
  const std::regex rate(R"(^ +\d+\.\d{6} GB/sec$)");
  for (int i : {4, 5}) {
    EXPECT_TRUE(std::regex_match(l[i], rate)) << l[i];
    EXPECT_GE(l[i].find(" GB/sec"), 15u) << "perf's ' %14lf': " << l[i];
  }
  std::smatch m;
  const std::regex summary(
      R"(^# 2 loops: mean \d+\.\d{6} GB/sec \+- \d+\.\d{2}% \(stddev\), median \d+\.\d{6} GB/sec, 64 pages of 2MB touched, (\d+) of 64 THP-backed \(smaps AnonHugePages\)$)");
  ASSERT_TRUE(std::regex_match(l[6], m, summary)) << l[6];
  // Then only warnings: loops that disagree (a cold first loop on a VM) and
  // a THP shortfall, which must be there whenever pages fell back.
  bool thp_warning = false;
  for (std::size_t i = 7; i < l.size(); ++i) {
    EXPECT_EQ(l[i].rfind("# WARNING: ", 0), 0u) << l[i];
    thp_warning = thp_warning || l[i] == "# WARNING: only " + std::string(m[1]) +
                                             " of 64 2MB pages were THP-backed: this measured 4KB "
                                             "faults too";
  }
  EXPECT_EQ(thp_warning, m[1] != "64") << r.out;
}

TEST(MmapBenchRun, BasePagesPopulateAndRandomOffsets) {
  Result r = run("--size 4MB --loops 2 --fault populate --offset random --seed 7");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto l = split_lines(r.out);
  expect_and_drop_warmup_line(l);
  ASSERT_GE(l.size(), 7u) << r.out;
  for (std::size_t i = 7; i < l.size(); ++i)  // loops that disagree, or a slow one
    EXPECT_EQ(l[i].rfind("# WARNING: ", 0), 0u) << l[i];
  EXPECT_EQ(l[1], "# function 'populate' (Eagerly populated mmap())");
  EXPECT_NE(l[6].find("2048 pages of 4KB touched, base pages (MADV_NOHUGEPAGE)"), std::string::npos)
      << l[6];
}

TEST(MmapBenchRun, BadFlagsAreOneLineNamingTheFlagAndExit2) {
  struct Case {
    const char* args;
    const char* flag;
  };
  const Case cases[] = {
      {"--page 3MB", "--page"},
      {"--page 2MB --size 0", "--size"},
      {"--page 2MB --size 3MB", "--size"},
      {"--page 2MB --size lots", "--size"},
      {"--page 4KB --size 4KB --offset 4096", "--offset"},
      {"--page 2MB --backing thp --size 2MB --offset 2097152", "--offset"},
      {"--size 4KB --offset -1", "--offset"},
      {"--size 4KB --loops 0", "--loops"},
      {"--size 4KB --loops x", "--loops"},
      {"--backing thp --page 1GB --size 1GB", "--page"},
      {"--backing thp --size 4KB", "--page"},
      {"--backing shm --size 4KB", "--backing"},
      {"--fault lazy --size 4KB", "--fault"},
      {"--size 4KB --seed 3", "--seed"},
      {"--page 2MB --backing thp --size 2MB --reserve-hugetlb", "--reserve-hugetlb"},
      {"--size 4KB --enable-mthp", "--enable-mthp"},
      {"--size 4KB --frobnicate", "--frobnicate"},
  };
  for (const Case& c : cases) {
    Result r = run(c.args);
    EXPECT_EQ(r.rc, 2) << c.args;
    EXPECT_EQ(r.out, "") << c.args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.flag), std::string::npos) << c.args << ": " << r.err;
  }
}

}  // namespace
}  // namespace zs
