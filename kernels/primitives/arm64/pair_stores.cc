// Pair stores of the zero register, four per 64 bytes. STNP is the
// non-temporal hint the arm64 kernel falls back to when DC ZVA is
// prohibited; STP is the plain cached form, for comparison.
#include "primitives/primitive.h"

extern "C" void zs_zero_stnp(void* dst, std::size_t bytes) {
  std::size_t lines = bytes / 64;
  if (lines == 0) return;
  asm volatile(
      "1:\n\t"
      "stnp xzr, xzr, [%0]\n\t"
      "stnp xzr, xzr, [%0, #16]\n\t"
      "stnp xzr, xzr, [%0, #32]\n\t"
      "stnp xzr, xzr, [%0, #48]\n\t"
      "add %0, %0, #64\n\t"
      "subs %1, %1, #1\n\t"
      "b.ne 1b"
      : "+r"(dst), "+r"(lines)
      :
      : "memory", "cc");
}

extern "C" void zs_zero_stp(void* dst, std::size_t bytes) {
  std::size_t lines = bytes / 64;
  if (lines == 0) return;
  asm volatile(
      "1:\n\t"
      "stp xzr, xzr, [%0]\n\t"
      "stp xzr, xzr, [%0, #16]\n\t"
      "stp xzr, xzr, [%0, #32]\n\t"
      "stp xzr, xzr, [%0, #48]\n\t"
      "add %0, %0, #64\n\t"
      "subs %1, %1, #1\n\t"
      "b.ne 1b"
      : "+r"(dst), "+r"(lines)
      :
      : "memory", "cc");
}
