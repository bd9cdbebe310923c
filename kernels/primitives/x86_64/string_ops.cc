// rep stosb / rep stosq: the kernel's clear_page_erms and clear_page_rep.
// Inline assembly rather than intrinsics so the compiler can neither widen
// nor replace the instruction the name promises.
#include "primitives/primitive.h"

extern "C" void zs_zero_stosb(void* dst, std::size_t bytes) {
  asm volatile("rep stosb" : "+D"(dst), "+c"(bytes) : "a"(0) : "memory");
}

extern "C" void zs_zero_stosq(void* dst, std::size_t bytes) {
  std::size_t quads = bytes / 8;
  asm volatile("rep stosq" : "+D"(dst), "+c"(quads) : "a"(std::uint64_t{0}) : "memory");
}
