#include "platform/platform.h"

#include "platform/arm64_cpu.h"

namespace zs::platform {

std::string_view timestamp_name() { return "cntvct"; }
std::string_view timed_load_method() {
  return "isb; cntvct_el0; isb; load; dsb ld; isb; cntvct_el0 (serialised counter reads around one "
         "load)";
}

std::size_t cache_line_bytes() {
  // CTR_EL0.DminLine: the smallest data cache line, the step DC CIVAC must take.
  return arm64::decode_ctr(*arm64::read_ctr_el0()).dcache_line_bytes;
}

void flush_range(const void* p, std::size_t bytes) {
  const std::size_t line = cache_line_bytes();
  auto a = reinterpret_cast<std::uintptr_t>(p) & ~(line - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(p) + bytes;
  for (; a < end; a += line) asm volatile("dc civac, %0" ::"r"(a) : "memory");
  asm volatile("dsb ish" ::: "memory");
}

std::string_view flush_name() { return "dc civac"; }

std::optional<std::uint64_t> read_pmc(std::uint32_t index) {
  std::uint64_t v;
  if (index == 32) {  // the kernel's index for the cycle counter, PMCCNTR_EL0
    asm volatile("mrs %0, pmccntr_el0" : "=r"(v));
    return v;
  }
  asm volatile("msr pmselr_el0, %0\n\tisb" : : "r"(std::uint64_t(index - 1)));
  asm volatile("mrs %0, pmxevcntr_el0" : "=r"(v));
  return v;
}

std::optional<PmuCounters> pmu_counters() { return std::nullopt; }

void known_instruction_loop(std::uint64_t iterations) {
  if (iterations == 0) return;
  asm volatile("1:\n\tsubs %0, %0, #1\n\tb.ne 1b" : "+r"(iterations)::"cc");
}

}  // namespace zs::platform
