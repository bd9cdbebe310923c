#include "platform/platform.h"

namespace zs::platform {

std::string_view timestamp_name() { return "cntvct"; }

std::size_t cache_line_bytes() {
  // CTR_EL0.DminLine: log2 of the smallest data cache line in 4-byte words.
  std::uint64_t ctr;
  asm volatile("mrs %0, ctr_el0" : "=r"(ctr));
  return std::size_t{4} << ((ctr >> 16) & 0xf);
}

void flush_range(const void* p, std::size_t bytes) {
  const std::size_t line = cache_line_bytes();
  auto a = reinterpret_cast<std::uintptr_t>(p) & ~(line - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(p) + bytes;
  for (; a < end; a += line) asm volatile("dc civac, %0" ::"r"(a) : "memory");
  asm volatile("dsb ish" ::: "memory");
}

std::string_view flush_name() { return "dc civac"; }

// arm64 has no architected way for EL0 to read the cache sizes (CCSIDR_EL1
// is EL1-only): sysfs or the config must say.
std::optional<CacheSize> llc_from_cpu() { return std::nullopt; }

}  // namespace zs::platform
