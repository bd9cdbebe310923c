#include "machine/tsc.h"

#include <algorithm>
#include <cstdint>
#include <thread>

#include <fmt/format.h>

#include "common/clock.h"
#include "machine/procfs.h"
#include "machine/sysfs.h"
#include "platform/platform.h"

namespace zs {
namespace {

// A timestamp and a CLOCK_MONOTONIC reading taken together: of a few
// tries, the one with the shortest bracket, so that an interrupt or a
// preemption between the two reads does not bias the pair.
struct Pair {
  std::uint64_t ts;
  std::uint64_t ns;
};
Pair paired_read() {
  Pair best{};
  std::uint64_t best_width = UINT64_MAX;
  for (int i = 0; i < 7; ++i) {
    std::uint64_t t0 = platform::timestamp();
    std::uint64_t ns = monotonic_ns();
    std::uint64_t t1 = platform::timestamp();
    if (t1 >= t0 && t1 - t0 < best_width) {
      best_width = t1 - t0;
      best = {t0 + (t1 - t0) / 2, ns};
    }
  }
  return best;
}

TscInfo calibrated(TscInfo info) {
  auto c = calibrate_tsc();
  if (!c) {
    info.source = "no timestamp counter on this architecture";
    return info;
  }
  info.hz = c->hz;
  info.source = fmt::format("calibrated against CLOCK_MONOTONIC ({} x {} ms, median)",
                            c->runs_hz.size(), c->each.count());
  info.calibration = std::move(c);
  return info;
}

// The kernel's verdict on the counter, when the platform says it gives one.
void kernel_flags(TscInfo& info, const platform::TimestampConstancy& k) {
  if (!k.kernel_flags) {
    info.flags_source = k.no_kernel_flags;
    return;
  }
  const auto flags = procfs::cpuinfo_flags(sysfs::read("/proc/cpuinfo").value_or(""));
  if (flags.empty()) {
    info.flags_source = "/proc/cpuinfo has no readable flags line";
    return;
  }
  info.constant_tsc = flags.count("constant_tsc") > 0;
  info.nonstop_tsc = flags.count("nonstop_tsc") > 0;
  info.flags_source = "/proc/cpuinfo flags";
}

}  // namespace

std::optional<TscCalibration> calibrate_tsc(int runs, std::chrono::milliseconds each) {
  if (platform::timestamp_name().empty() || runs < 1) return std::nullopt;
  TscCalibration c;
  c.each = each;
  for (int i = 0; i < runs; ++i) {
    Pair a = paired_read();
    std::this_thread::sleep_for(each);
    Pair b = paired_read();
    if (b.ns <= a.ns || b.ts <= a.ts) continue;
    c.runs_hz.push_back(double(b.ts - a.ts) * 1e9 / double(b.ns - a.ns));
  }
  if (c.runs_hz.empty()) return std::nullopt;
  std::vector<double> sorted = c.runs_hz;
  std::sort(sorted.begin(), sorted.end());
  std::size_t n = sorted.size();
  c.hz = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  c.spread_hz = sorted.back() - sorted.front();
  return c;
}

TscInfo tsc_info(bool force_calibration) {
  TscInfo info;
  info.counter = std::string(platform::timestamp_name());
  if (info.counter.empty()) {
    info.source = info.invariant_source = info.flags_source =
        "no timestamp counter on this architecture";
    return info;
  }
  const platform::TimestampConstancy k = platform::timestamp_constancy();
  info.invariant = k.invariant;
  info.invariant_source = k.invariant_source;
  kernel_flags(info, k);
  if (force_calibration) {
    info.skipped.push_back("calibration forced");
    return calibrated(std::move(info));
  }
  for (const platform::RateSource& s : platform::timestamp_rate_sources()) {
    platform::RateAnswer a = s.read();
    if (a.hz) {
      info.hz = a.hz;
      info.source = std::move(a.text);
      return info;
    }
    info.skipped.push_back(std::move(a.text));
  }
  return calibrated(std::move(info));
}

}  // namespace zs
