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

// The cache-line size for access patterns that touch "a line".
std::size_t cache_line_bytes();

}  // namespace zs::platform
