// AMD CLZERO: zeroes the whole cache line containing rAX without reading it
// (no read-for-ownership). Weakly ordered like non-temporal stores, hence
// the sfence. The line size is CPUID.1:EBX[15:8] * 8 bytes; the registry
// passes it as the granule and this loop steps by the same value.
#include "primitives/primitive.h"

namespace zs::x86 {
std::size_t clzero_line_bytes();
}

extern "C" void zs_zero_clzero(void* dst, std::size_t bytes) {
  static const std::size_t line = zs::x86::clzero_line_bytes();
  std::size_t lines = bytes / line;
  if (lines == 0) return;
  asm volatile(
      "1:\n\t"
      ".byte 0x0f, 0x01, 0xfc\n\t"  // clzero (rAX); spelt out for old assemblers
      "addq %2, %%rax\n\t"
      "decq %1\n\t"
      "jnz 1b\n\t"
      "sfence"
      : "+a"(dst), "+r"(lines)
      : "r"(line)
      : "memory", "cc");
}
