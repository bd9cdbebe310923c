// The platform layer's probes against what the kernel says about the same
// CPU in /proc/cpuinfo, on whatever architecture this runs.
#include "platform/platform.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "machine/procfs.h"
#include "machine/sysfs.h"

namespace zs {
namespace {

std::set<std::string> kernel_flags() {
  return procfs::cpuinfo_flags(sysfs::read("/proc/cpuinfo").value_or(""));
}

TEST(Platform, SignatureMatchesTheKernelsView) {
  platform::CpuSignature s = platform::cpu_signature();
  EXPECT_FALSE(s.arch.empty());
  if (s.arch != "x86_64") GTEST_SKIP() << s.arch << ": identity is read from /proc/cpuinfo";
  auto f = procfs::cpuinfo_fields(sysfs::read("/proc/cpuinfo").value_or(""));
  if (f.count("vendor_id") == 0) GTEST_SKIP() << "no vendor_id line in /proc/cpuinfo";
  EXPECT_EQ(s.vendor, f["vendor_id"]);
  EXPECT_EQ(std::to_string(s.family), f["cpu family"]);
  EXPECT_EQ(std::to_string(s.model), f["model"]);
  EXPECT_EQ(std::to_string(s.stepping), f["stepping"]);
}

TEST(Platform, HypervisorBitMatchesTheKernelsFlag) {
  platform::Hypervisor hv = platform::hypervisor();
  EXPECT_FALSE(hv.source.empty());
  if (!hv.present) GTEST_SKIP() << hv.source;
  auto flags = kernel_flags();
  if (flags.empty()) GTEST_SKIP() << "/proc/cpuinfo has no flags line";
  EXPECT_EQ(*hv.present, flags.count("hypervisor") > 0);
  if (*hv.present) {
    EXPECT_GE(hv.max_leaf, 0x40000000u);
    if (hv.vendor) {
      EXPECT_LE(hv.vendor->size(), 12u);
    }
  }
}

TEST(Platform, CachesAreSaneAndTheLlcIsTheHighest) {
  auto caches = platform::cpu_caches();
  auto llc = platform::llc_from_cpu();
  if (caches.empty()) {
    EXPECT_FALSE(llc.has_value() && llc->level < 3) << llc->source;
    GTEST_SKIP() << "the CPU describes no caches here";
  }
  int top = 0;
  for (const auto& c : caches) {
    EXPECT_GE(c.level, 1);
    EXPECT_LE(c.level, 4);
    EXPECT_TRUE(c.type == "Data" || c.type == "Unified") << c.type;
    EXPECT_GE(c.bytes, 4096u) << c.source;
    EXPECT_FALSE(c.source.empty());
    top = std::max(top, c.level);
  }
  ASSERT_TRUE(llc.has_value());
  EXPECT_GE(llc->level, top);
}

TEST(Platform, RateSourcesEachSayWhatTheyDid) {
  if (platform::timestamp_name().empty()) {
    EXPECT_TRUE(platform::timestamp_rate_sources().empty());
    GTEST_SKIP() << "no timestamp counter on this architecture";
  }
  EXPECT_FALSE(platform::timestamp_rate_sources().empty());
  for (const auto& s : platform::timestamp_rate_sources()) {
    platform::RateAnswer a = s.read();
    EXPECT_FALSE(a.text.empty()) << s.name;
    if (a.hz) {
      // Counters in use run from 1 MHz (arm64 generic timers) to a few GHz.
      EXPECT_GT(*a.hz, 1e6) << a.text;
      EXPECT_LT(*a.hz, 2e10) << a.text;
    }
  }
}

TEST(Platform, ConstancySaysWhereItComesFrom) {
  platform::TimestampConstancy k = platform::timestamp_constancy();
  EXPECT_FALSE(k.invariant_source.empty());
  EXPECT_EQ(k.kernel_flags, k.no_kernel_flags.empty());
}

}  // namespace
}  // namespace zs
