// CPUID and XCR0 reads, and the kernel's own view of the CPU flags.
#pragma once

#include <cpuid.h>

#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace zs::x86 {

struct Regs {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

inline Regs cpuid(std::uint32_t leaf, std::uint32_t sub = 0) {
  Regs r;
  if (!__get_cpuid_count(leaf, sub, &r.eax, &r.ebx, &r.ecx, &r.edx)) return Regs{};
  return r;
}

inline std::uint32_t max_leaf(std::uint32_t base) { return __get_cpuid_max(base, nullptr); }

inline bool bit(std::uint32_t v, int n) { return (v >> n) & 1u; }

// XCR0: which register state the OS saves on context switch. Only meaningful
// when CPUID.1:ECX.OSXSAVE is set.
inline std::uint64_t xcr0() {
  if (!bit(cpuid(1).ecx, 27)) return 0;
  std::uint32_t lo, hi;
  asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (std::uint64_t(hi) << 32) | lo;
}

// The "flags" line of /proc/cpuinfo: the kernel's feature words, including
// its synthetic flags (rep_good) that CPUID does not have.
inline std::set<std::string> kernel_cpu_flags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::set<std::string> flags;
    std::istringstream words(line.substr(line.find(':') + 1));
    for (std::string w; words >> w;) flags.insert(w);
    return flags;
  }
  return {};
}

}  // namespace zs::x86
