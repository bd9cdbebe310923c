// The rate of the counter platform::timestamp() reads (the TSC on x86_64,
// CNTVCT_EL0 on arm64) and where that number comes from, so that cycle
// columns convert to time, and a reader months later knows whether the
// rate was architectural, the kernel's, the hypervisor's, or measured here.
//
// Also the few other facts only the CPU itself reports (the hypervisor
// leaves, cache descriptors when sysfs has none). They are read with CPUID
// here, behind these functions, because the capability record needs them
// and kernels/platform does not offer them yet.
#pragma once

#include <chrono>
#include <cstdint>
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
  // "CPUID leaf 0x15 (crystal 25000000 Hz x 168/2)", "kernel
  // (/sys/devices/system/cpu/cpu0/tsc_freq_khz)", "CPUID leaf 0x40000010
  // (hypervisor KVMKVMKVM)", "calibrated against CLOCK_MONOTONIC (3 x 20 ms)",
  // "cntfrq_el0"; when hz is nullopt, why.
  std::string source;
  std::optional<TscCalibration> calibration;  // set when source is a calibration
  // Why each better source did not answer, in the order they were tried.
  std::vector<std::string> skipped;
  // x86: CPUID 0x80000007 EDX bit 8; arm64: the generic timer is constant-rate
  // by architecture. nullopt with invariant_source saying why.
  std::optional<bool> invariant;
  std::string invariant_source;
  // x86 /proc/cpuinfo flags: the kernel's verdict, which includes what
  // hypervisors and errata tell it. nullopt off x86 or when unreadable.
  std::optional<bool> constant_tsc, nonstop_tsc;
  std::string flags_source;  // "/proc/cpuinfo flags", or why unavailable
};

// The best source available, in order: x86 CPUID 0x15 when it gives crystal
// and ratio, the kernel's tsc_freq_khz, the hypervisor timing leaf
// 0x40000010, calibration; arm64 cntfrq_el0. `force_calibration` skips
// straight to calibration (tests, or a rate the user distrusts).
TscInfo tsc_info(bool force_calibration = false);

// CPUID leaf 1 ECX bit 31 and the vendor of leaf 0x40000000 (x86 only).
struct HypervisorInfo {
  std::optional<bool> present;  // nullopt off x86
  std::optional<std::string>
      vendor;                  // "KVMKVMKVM", "VMwareVMware", "Microsoft Hv"; nullopt when none
  std::uint32_t max_leaf = 0;  // EAX of 0x40000000
  std::string source;          // how it was read, or why it could not be
};
HypervisorInfo cpu_hypervisor();

// Data and unified caches the CPU describes about itself: Intel leaf 4, AMD
// 0x8000001D, else AMD's legacy 0x80000005/0x80000006 for L1d and L2 (the
// legacy L3 field is left out: hypervisors and multi-CCD parts fill it
// inconsistently). Empty off x86 or when no leaf answers.
struct CpuCache {
  int level = 0;
  std::string type;  // Data | Unified
  std::uint64_t bytes = 0;
  std::string source;
};
std::vector<CpuCache> cpuid_caches();

}  // namespace zs
