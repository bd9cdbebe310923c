// Non-temporal stores bypass the cache hierarchy (write-combining), so the
// zeroed folio is *not* in cache afterwards: the opposite trade-off of the
// kernel's cached clear_page. The trailing sfence orders the weakly-ordered
// stores before whatever the caller does next, as the kernel's users must.
#include "primitives/primitive.h"

// 16-byte movntdq (SSE2, baseline x86_64), four per line.
extern "C" void zs_zero_nt(void* dst, std::size_t bytes) {
  std::size_t lines = bytes / 64;
  if (lines == 0) return;
  asm volatile(
      "pxor %%xmm0, %%xmm0\n\t"
      "1:\n\t"
      "movntdq %%xmm0, 0(%0)\n\t"
      "movntdq %%xmm0, 16(%0)\n\t"
      "movntdq %%xmm0, 32(%0)\n\t"
      "movntdq %%xmm0, 48(%0)\n\t"
      "addq $64, %0\n\t"
      "decq %1\n\t"
      "jnz 1b\n\t"
      "sfence"
      : "+r"(dst), "+r"(lines)
      :
      : "xmm0", "memory", "cc");
}

// 8-byte movnti from a general register, eight per line.
extern "C" void zs_zero_movnti(void* dst, std::size_t bytes) {
  std::size_t lines = bytes / 64;
  if (lines == 0) return;
  asm volatile(
      "xorl %%eax, %%eax\n\t"
      "1:\n\t"
      "movnti %%rax, 0(%0)\n\t"
      "movnti %%rax, 8(%0)\n\t"
      "movnti %%rax, 16(%0)\n\t"
      "movnti %%rax, 24(%0)\n\t"
      "movnti %%rax, 32(%0)\n\t"
      "movnti %%rax, 40(%0)\n\t"
      "movnti %%rax, 48(%0)\n\t"
      "movnti %%rax, 56(%0)\n\t"
      "addq $64, %0\n\t"
      "decq %1\n\t"
      "jnz 1b\n\t"
      "sfence"
      : "+r"(dst), "+r"(lines)
      :
      : "rax", "memory", "cc");
}
