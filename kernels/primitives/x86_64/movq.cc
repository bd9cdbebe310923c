// Eight 8-byte stores per 64-byte line: the kernel's clear_page_orig (now
// memzero_page_aligned_unrolled), used when the CPU has neither ERMS nor
// REP_GOOD.
#include "primitives/primitive.h"

extern "C" void zs_zero_movq(void* dst, std::size_t bytes) {
  std::size_t lines = bytes / 64;
  if (lines == 0) return;
  asm volatile(
      "xorl %%eax, %%eax\n\t"
      "1:\n\t"
      "movq %%rax, 0(%0)\n\t"
      "movq %%rax, 8(%0)\n\t"
      "movq %%rax, 16(%0)\n\t"
      "movq %%rax, 24(%0)\n\t"
      "movq %%rax, 32(%0)\n\t"
      "movq %%rax, 40(%0)\n\t"
      "movq %%rax, 48(%0)\n\t"
      "movq %%rax, 56(%0)\n\t"
      "leaq 64(%0), %0\n\t"
      "decq %1\n\t"
      "jnz 1b"
      : "+r"(dst), "+r"(lines)
      :
      : "rax", "memory", "cc");
}
