// Aligned vector stores, one or two per line. The instructions are written
// in assembly so the binary needs no -mavx*: the registry runs them only
// where CPUID and XCR0 say the CPU and the OS support them. vzeroupper
// avoids the SSE/AVX transition penalty in the caller.
#include "primitives/primitive.h"

extern "C" void zs_zero_avx2(void* dst, std::size_t bytes) {
  std::size_t lines = bytes / 64;
  if (lines == 0) return;
  asm volatile(
      "vpxor %%ymm0, %%ymm0, %%ymm0\n\t"
      "1:\n\t"
      "vmovdqa %%ymm0, 0(%0)\n\t"
      "vmovdqa %%ymm0, 32(%0)\n\t"
      "addq $64, %0\n\t"
      "decq %1\n\t"
      "jnz 1b\n\t"
      "vzeroupper"
      : "+r"(dst), "+r"(lines)
      :
      : "xmm0", "memory", "cc");
}

extern "C" void zs_zero_avx512(void* dst, std::size_t bytes) {
  std::size_t lines = bytes / 64;
  if (lines == 0) return;
  asm volatile(
      "vpxord %%zmm0, %%zmm0, %%zmm0\n\t"
      "1:\n\t"
      "vmovdqa64 %%zmm0, 0(%0)\n\t"
      "addq $64, %0\n\t"
      "decq %1\n\t"
      "jnz 1b\n\t"
      "vzeroupper"
      : "+r"(dst), "+r"(lines)
      :
      : "xmm0", "memory", "cc");
}
