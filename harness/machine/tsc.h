// The rate of the counter platform::timestamp() reads (the TSC on x86_64,
// CNTVCT_EL0 on arm64) and where that number comes from, so that cycle
// columns convert to time, and a reader months later knows whether the
// rate was architectural, the kernel's, the hypervisor's, or measured here.
// The sources themselves are the platform's (platform::timestamp_rate_
// sources()); this file chooses among them and calibrates.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace zs {

// Each run pairs a timestamp with CLOCK_MONOTONIC at both ends of a sleep;
// hz is the median run, spread = max - min over the runs.
struct TscCalibration {
  double hz = 0;
  double spread_hz = 0;
  std::vector<double> runs_hz;
  std::chrono::milliseconds each{0};
};
// nullopt where the architecture has no timestamp counter.
std::optional<TscCalibration> calibrate_tsc(
    int runs = 3, std::chrono::milliseconds each = std::chrono::milliseconds(20));

struct TscInfo {
  std::string counter;       // "tsc" | "cntvct" | "" (none on this architecture)
  std::optional<double> hz;  // nullopt: no counter, or calibration impossible
  // The answering platform source's own words ("kernel
  // (/sys/devices/system/cpu/cpu0/tsc_freq_khz)", "cntfrq_el0"), or
  // "calibrated against CLOCK_MONOTONIC (3 x 20 ms, median)"; when hz is
  // nullopt, why.
  std::string source;
  std::optional<TscCalibration> calibration;  // set when source is a calibration
  // Why each better source did not answer, in the order they were tried.
  std::vector<std::string> skipped;
  // The CPU's own statement (platform::timestamp_constancy()); nullopt with
  // invariant_source saying why.
  std::optional<bool> invariant;
  std::string invariant_source;
  // The kernel's verdict as /proc/cpuinfo flags (x86), which includes what
  // hypervisors and errata tell it. nullopt elsewhere or when unreadable.
  std::optional<bool> constant_tsc, nonstop_tsc;
  std::string flags_source;  // "/proc/cpuinfo flags", or why unavailable
};

// The first of the platform's sources that answers (x86: the crystal
// ratio, the kernel's tsc_freq_khz, the hypervisor's timing leaf; arm64:
// the timer frequency register), else a calibration. `force_calibration` skips straight to
// calibration (tests, or a rate the user distrusts).
TscInfo tsc_info(bool force_calibration = false);

}  // namespace zs
