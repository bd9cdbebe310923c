// The timestamp counter's rate: whatever source answers must agree with a
// measurement. Only gross disagreement fails (a wrong unit, ratio or
// crystal: a factor, not a percent); how close a calibration comes on this
// machine, and how stable it is, are figures of zeroscope-bench
// (tsc/calibration), not assertions, since they depend on the machine's load.
#include "machine/tsc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "machine/procfs.h"
#include "machine/sysfs.h"
#include "platform/platform.h"

namespace zs {
namespace {

double rel(double a, double b) { return std::fabs(a - b) / b; }
// A decoding error is off by a factor; a loaded machine's calibration by a
// few percent at most.
constexpr double kGross = 0.25;

TEST(Tsc, BestSourceAgreesWithACalibration) {
  TscInfo info = tsc_info();
  if (info.counter.empty()) GTEST_SKIP() << "no timestamp counter on this architecture";
  ASSERT_TRUE(info.hz.has_value()) << info.source;
  ASSERT_FALSE(info.source.empty());
  if (info.calibration)
    GTEST_SKIP() << "no architectural or kernel source here; the rate is itself a calibration ("
                 << info.source << "); skipped: " << ::testing::PrintToString(info.skipped);
  auto c = calibrate_tsc();
  ASSERT_TRUE(c.has_value());
  EXPECT_LT(rel(*info.hz, c->hz), kGross)
      << info.source << " says " << *info.hz << " Hz, calibration " << c->hz << " Hz";
}

TEST(Tsc, ForcedCalibrationReportsItsRunsAndSpread) {
  TscInfo info = tsc_info(/*force_calibration=*/true);
  if (info.counter.empty()) GTEST_SKIP() << "no timestamp counter on this architecture";
  ASSERT_TRUE(info.hz.has_value()) << info.source;
  ASSERT_TRUE(info.calibration.has_value());
  EXPECT_EQ(info.source.rfind("calibrated against CLOCK_MONOTONIC", 0), 0u) << info.source;
  const TscCalibration& c = *info.calibration;
  ASSERT_EQ(c.runs_hz.size(), 3u);
  EXPECT_EQ(c.each.count(), 20);
  EXPECT_DOUBLE_EQ(c.hz, *info.hz);
  // Counters in use run from 1 MHz (arm64 generic timers) to a few GHz.
  EXPECT_GT(c.hz, 1e6);
  EXPECT_LT(c.hz, 2e10);
  EXPECT_GE(c.spread_hz, 0.0);
  for (double r : c.runs_hz) EXPECT_GT(r, 0.0);
}

TEST(Tsc, ForcedCalibrationAgreesWithTheDefaultSource) {
  TscInfo best = tsc_info(), forced = tsc_info(true);
  if (best.counter.empty()) GTEST_SKIP() << "no timestamp counter on this architecture";
  ASSERT_TRUE(best.hz && forced.hz);
  EXPECT_LT(rel(*best.hz, *forced.hz), kGross) << best.source << " vs " << forced.source;
}

TEST(Tsc, CalibrationParameters) {
  EXPECT_FALSE(calibrate_tsc(0).has_value());
  auto c = calibrate_tsc(5, std::chrono::milliseconds(5));
  if (!c) GTEST_SKIP() << "no timestamp counter on this architecture";
  EXPECT_EQ(c->runs_hz.size(), 5u);
  EXPECT_EQ(c->each.count(), 5);
}

TEST(Tsc, KernelFlagsMatchProcCpuinfo) {
  TscInfo info = tsc_info();
  if (info.counter.empty()) GTEST_SKIP() << "no timestamp counter on this architecture";
  EXPECT_FALSE(info.invariant_source.empty());
  EXPECT_FALSE(info.flags_source.empty());
  auto flags = procfs::cpuinfo_flags(sysfs::read("/proc/cpuinfo").value_or(""));
  if (flags.empty()) {
    EXPECT_FALSE(info.constant_tsc.has_value());
    GTEST_SKIP() << "/proc/cpuinfo has no flags line: " << info.flags_source;
  }
  ASSERT_TRUE(info.constant_tsc && info.nonstop_tsc) << info.flags_source;
  EXPECT_EQ(*info.constant_tsc, flags.count("constant_tsc") > 0);
  EXPECT_EQ(*info.nonstop_tsc, flags.count("nonstop_tsc") > 0);
}

TEST(Tsc, SkippedSourcesComeFromThePlatformInOrder) {
  TscInfo info = tsc_info();
  if (info.counter.empty()) GTEST_SKIP() << "no timestamp counter on this architecture";
  const auto sources = platform::timestamp_rate_sources();
  ASSERT_LE(info.skipped.size(), sources.size());
  for (std::size_t i = 0; i < info.skipped.size(); ++i)
    EXPECT_EQ(info.skipped[i], sources[i].read().text) << sources[i].name;
  EXPECT_EQ(info.calibration.has_value(), info.skipped.size() == sources.size());
}

}  // namespace
}  // namespace zs
