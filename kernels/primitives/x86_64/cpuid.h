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

// Leaf 0's vendor string: "GenuineIntel", "AuthenticAMD", "HygonGenuine".
inline std::string vendor() {
  Regs r = cpuid(0);
  char v[13] = {};
  const std::uint32_t regs[3] = {r.ebx, r.edx, r.ecx};
  for (int i = 0; i < 12; ++i) v[i] = char(regs[i / 4] >> (8 * (i % 4)));
  return v;
}

// AMD and Hygon (Zen-derived) share AMD's extended leaves and their layout.
inline bool is_amd() {
  const std::uint32_t ebx = cpuid(0).ebx;
  return ebx == 0x68747541 || ebx == 0x6f677948;  // "Auth"enticAMD, "Hygo"nGenuine
}

// Display family and model (SDM Vol. 2A CPUID; AMD APM Vol. 3): the
// extended family is added only when the base family is 0xf, the extended
// model is prepended only for base family 0x6 or 0xf. The values the
// vendors' manuals, the kernel and libpfm4 use.
struct Signature {
  unsigned family = 0, model = 0, stepping = 0;
};
inline Signature signature() {
  const std::uint32_t a = cpuid(1).eax;
  const unsigned base_family = (a >> 8) & 0xf, base_model = (a >> 4) & 0xf;
  Signature s;
  s.family = base_family == 0xf ? base_family + ((a >> 20) & 0xff) : base_family;
  s.model = (base_family == 0x6 || base_family == 0xf) ? (((a >> 16) & 0xf) << 4) | base_model
                                                       : base_model;
  s.stepping = a & 0xf;
  return s;
}

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
