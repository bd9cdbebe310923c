// The generic timer's rate on arm64, and what arm64 does not offer EL0:
// cache geometry (CCSIDR_EL1), a hypervisor bit, an identity register.
#include <string>

#include "platform/platform.h"

namespace zs::platform {
namespace {

RateAnswer cntfrq() {
  std::uint64_t frq;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(frq));
  if (frq != 0) return {double(frq), "cntfrq_el0"};
  // Firmware must program CNTFRQ_EL0; some boot loaders forget.
  return {std::nullopt, "cntfrq_el0 is 0 (not programmed by firmware)"};
}

constexpr RateSource kSources[] = {{"cntfrq_el0", cntfrq}};

}  // namespace

std::span<const RateSource> timestamp_rate_sources() { return kSources; }

TimestampConstancy timestamp_constancy() {
  TimestampConstancy c;
  c.invariant = true;
  c.invariant_source = "arm generic timer: constant rate by architecture";
  c.kernel_flags = false;
  c.no_kernel_flags = "constant_tsc/nonstop_tsc are x86 /proc/cpuinfo flags";
  return c;
}

Hypervisor hypervisor() {
  Hypervisor hv;
  hv.source = "no architectural hypervisor-present bit outside x86 (CPUID)";
  return hv;
}

CpuSignature cpu_signature() { return {"arm64", "", 0, 0, 0}; }

// arm64 has no architected way for EL0 to read the cache sizes (CCSIDR_EL1
// is EL1-only): sysfs or the config must say.
std::vector<CacheLevel> cpu_caches() { return {}; }
std::optional<CacheLevel> llc_from_cpu() { return std::nullopt; }

}  // namespace zs::platform
