#include <cstring>

#include "platform/platform.h"

namespace zs::platform {

std::string_view timestamp_name() { return ""; }
std::string_view timed_load_method() { return ""; }
std::size_t cache_line_bytes() { return 64; }
// Without a flush instruction the best we can do is nothing: the harness
// refuses `evict = clflush` on such machines (flush_name() is empty).
void flush_range(const void*, std::size_t) {}
std::string_view flush_name() { return ""; }

// No timestamp counter: the harness says so for the rate and constancy.
std::span<const RateSource> timestamp_rate_sources() { return {}; }
TimestampConstancy timestamp_constancy() {
  TimestampConstancy c;
  c.invariant_source = c.no_kernel_flags = "no timestamp counter on this architecture";
  return c;
}

Hypervisor hypervisor() {
  Hypervisor hv;
  hv.source = "no architectural hypervisor-present bit outside x86 (CPUID)";
  return hv;
}

CpuSignature cpu_signature() { return {"unknown", "", 0, 0, 0}; }
std::vector<CacheLevel> cpu_caches() { return {}; }
std::optional<CacheLevel> llc_from_cpu() { return std::nullopt; }

std::optional<std::uint64_t> read_pmc(std::uint32_t) { return std::nullopt; }

std::optional<PmuCounters> pmu_counters() { return std::nullopt; }

void known_instruction_loop(std::uint64_t iterations) {
  // A volatile counter: the compiler may neither drop nor fold the loop.
  volatile std::uint64_t i = iterations;
  while (i > 0) i = i - 1;
}

}  // namespace zs::platform
