// What the harness needs from the CPU beyond zeroing: a cycle-rate
// timestamp for the measured phases, a cache flush for the `clflush`
// eviction, and the cache geometry the CPU reports about itself. The only
// architecture-specific code outside the primitives; the harness sees this
// one header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zs::platform {

// A serialising read of the CPU's constant-rate counter: rdtscp + lfence on
// x86_64 (waits for earlier instructions, holds back later ones), isb +
// cntvct_el0 on arm64; 0 elsewhere. Inline: it sits between the phases.
inline std::uint64_t timestamp() {
#if defined(__x86_64__)
  std::uint32_t lo, hi, aux;
  asm volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux)::"memory");
  return (std::uint64_t(hi) << 32) | lo;
#elif defined(__aarch64__)
  std::uint64_t v;
  asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
  return v;
#else
  return 0;
#endif
}

// "tsc", "cntvct", or "" when the architecture has no such counter (the
// `tsc` column is then missing, not zero).
std::string_view timestamp_name();

// Writes back and invalidates every cache line of [p, p + bytes) from every
// level (clflushopt, or clflush, on x86_64; dc civac on arm64), then fences.
void flush_range(const void* p, std::size_t bytes);
// The instruction flush_range uses here.
std::string_view flush_name();

// The last-level cache as the CPU describes it (CPUID leaf 4 on Intel,
// 0x8000001D on AMD); nullopt where the CPU has no such interface (arm64:
// the caller falls back to the config). `source` says which leaf answered.
struct CacheSize {
  std::uint64_t bytes;
  int level;
  std::string source;
};
std::optional<CacheSize> llc_from_cpu();

// Reads hardware counter `index` of the perf mmap page (pc->index, 1-based)
// from user space: rdpmc on x86_64; on arm64 the event counter selected
// through PMSELR_EL0 (index 32 = the cycle counter), which needs
// kernel.perf_user_access = 1. nullopt where user-space reads are not
// possible on this architecture.
std::optional<std::uint64_t> read_pmc(std::uint32_t index);

// General-purpose counters per hardware thread as the CPU reports them
// (Intel CPUID.0AH, AMD 0x80000022 / PerfCtrExtCore); nullopt where the
// architecture has no user-visible way to tell (arm64: PMCR_EL0 is EL1-only).
struct PmuCounters {
  int general;
  int fixed;
  std::string source;
};
std::optional<PmuCounters> pmu_counters();

// Executes exactly 2 * iterations instructions in a tight loop (a decrement
// and a branch each), for the known-answer check of `instructions`.
void known_instruction_loop(std::uint64_t iterations);
inline constexpr std::uint64_t kKnownLoopInstructionsPerIteration = 2;

// The cache-line size for access patterns that touch "a line".
std::size_t cache_line_bytes();

}  // namespace zs::platform
