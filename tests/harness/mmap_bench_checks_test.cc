// mmap-bench's honesty on a VM, with fakes of the machine and of loop
// times: the warm-up default where a hypervisor or free page reporting
// shows, the header line that says why, a lone slow loop named, and one
// loop saying that no variance is known.
#include <gtest/gtest.h>

#include "measure/mmap_bench_warmup.h"
#include "report/mmap_bench_loops.h"
#include "report/mmap_bench_text.h"

namespace zs {
namespace {

VmSigns bare_metal() { return {false, "", false, std::nullopt}; }
VmSigns reporting_guest() { return {true, "KVMKVMKVM", true, 9u}; }

TEST(MmapBenchWarmup, PerfsZeroOnBareMetal) {
  const WarmupChoice w = choose_warmup(bare_metal(), std::nullopt);
  EXPECT_EQ(w.loops, 0u);
  EXPECT_EQ(w.why, "");
  // Unknown hypervisor bit and no reporting: nothing to go on, perf's default.
  EXPECT_EQ(choose_warmup({std::nullopt, "", false, std::nullopt}, std::nullopt).loops, 0u);
}

TEST(MmapBenchWarmup, OneOnAGuestAndTheHeaderSaysWhy) {
  const WarmupChoice w = choose_warmup(reporting_guest(), std::nullopt);
  EXPECT_EQ(w.loops, 1u);
  EXPECT_NE(w.why.find("a hypervisor ('KVMKVMKVM') and free page reporting (blocks of order 9)"),
            std::string::npos)
      << w.why;
  EXPECT_NE(w.why.find("pays host faults"), std::string::npos) << w.why;
  // Either sign alone is enough.
  EXPECT_EQ(choose_warmup({true, "", false, std::nullopt}, std::nullopt).loops, 1u);
  EXPECT_EQ(choose_warmup({false, "", true, std::nullopt}, std::nullopt).loops, 1u);
  MmapBenchConfig c;
  const std::string header = format_header(c, "1GB", w.why);
  EXPECT_NE(header.find("# Copying 1GB bytes ...\n# warm-up: 1 untimed loop first"),
            std::string::npos)
      << header;
  EXPECT_EQ(header.substr(header.size() - 3), ")\n\n") << header;
}

TEST(MmapBenchWarmup, AGivenValueIsKeptAndAZeroOnAGuestWarns) {
  EXPECT_EQ(choose_warmup(reporting_guest(), 3).loops, 3u);
  EXPECT_EQ(choose_warmup(reporting_guest(), 3).why, "");
  const WarmupChoice zero = choose_warmup(reporting_guest(), 0);
  EXPECT_EQ(zero.loops, 0u);
  EXPECT_EQ(zero.why.rfind("WARNING: no warm-up", 0), 0u) << zero.why;
  EXPECT_EQ(choose_warmup(bare_metal(), 0).why, "");
}

TEST(MmapBenchLoops, TheOnlySlowLoopIsFlagged) {
  // A cold first loop among five: its stddev alone might pass unseen.
  const auto slow = slow_loops({1'000'000'000, 130'000'000, 128'000'000, 129'000'000, 127'000'000});
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_EQ(slow[0].index, 0u);
  EXPECT_NEAR(slow[0].ratio, 1e9 / 128.5e6, 1e-6);
  // 10% is the line: 9% is not flagged, 11% is.
  EXPECT_TRUE(slow_loops({109, 100, 100}).empty());
  ASSERT_EQ(slow_loops({100, 111, 100}).size(), 1u);
  EXPECT_EQ(slow_loops({100, 111, 100})[0].index, 1u);
  // Two loops: each against the other.
  ASSERT_EQ(slow_loops({200, 100}).size(), 1u);
  EXPECT_TRUE(slow_loops({100}).empty());
  const std::string s = format_loop_checks({100, 100, 100, 150});
  EXPECT_EQ(s.rfind("# WARNING: loop 4 took 1.50x the median time of the other loops", 0), 0u) << s;
}

TEST(MmapBenchLoops, OneLoopSaysNoVarianceIsKnown) {
  EXPECT_NE(format_loop_checks({100}).find("one loop: no variance is known"), std::string::npos);
  MmapBenchConfig c;
  c.size_bytes = 1ull << 30;
  const std::string s = format_summary(c, {{100000000, std::nullopt}});
  EXPECT_NE(s.find("(one loop: no variance is known)"), std::string::npos) << s;
  EXPECT_NE(s.find("# NOTE: one loop: no variance is known"), std::string::npos) << s;
  EXPECT_EQ(format_loop_checks({100, 100}), "");
}

}  // namespace
}  // namespace zs
