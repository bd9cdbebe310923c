// DC ZVA zeroes one naturally aligned block of 4 << DCZID_EL0.BS bytes
// (64 on most cores) without reading it: the arm64 kernel's clear_page.
// DCZID_EL0 is readable at EL0; DZP set means the instruction would trap.
#include "primitives/kernel_choice.h"
#include "primitives/primitive.h"

namespace zs::arm64 {
std::uint64_t read_dczid() {
  std::uint64_t v;
  asm volatile("mrs %0, dczid_el0" : "=r"(v));
  return v;
}
}  // namespace zs::arm64

extern "C" void zs_zero_dc_zva(void* dst, std::size_t bytes) {
  static const std::size_t block = zs::decode_dczid(zs::arm64::read_dczid()).block_bytes;
  char* p = static_cast<char*>(dst);
  char* end = p + bytes;
  for (; p < end; p += block) asm volatile("dc zva, %0" : : "r"(p) : "memory");
}
