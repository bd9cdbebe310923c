// FEAT_MOPS (Armv8.8/9.3): SETP, SETM, SETE are the prologue, main part and
// epilogue of one memset, split between them as the CPU sees fit; newer
// arm64 kernels clear pages with them where the CPU has FEAT_MOPS
// (arch/arm64/lib/clear_page.S, the ARM64_HAS_MOPS alternative). User space
// may use them when the kernel sets HWCAP2_MOPS.
//
// Written as .inst words, so that binutils without FEAT_MOPS (and without
// -march=armv8.8-a) assemble them. The form is SETP/SETM/SETE [Xd]!, Xn!,
// Xs (Arm ARM C6.2, "SETP, SETM, SETE"): 0x19c00400 | Rs << 16 | op2 << 12
// | Rn << 5 | Rd, op2 0 (P), 4 (M), 8 (E). Here Xd = x5 (destination,
// advanced), Xn = x7 (bytes left, counted down), Xs = xzr (the value 0).
#include <string>

#include "platform/arm64_cpu.h"
#include "primitives/primitive.h"

#define ZS_SETP_X5_X7_XZR ".inst 0x19df04e5\n\t"
#define ZS_SETM_X5_X7_XZR ".inst 0x19df44e5\n\t"
#define ZS_SETE_X5_X7_XZR ".inst 0x19df84e5\n\t"

extern "C" void zs_zero_mops(void* dst, std::size_t bytes) {
  register void* x5 asm("x5") = dst;
  register std::size_t x7 asm("x7") = bytes;
  asm volatile(ZS_SETP_X5_X7_XZR ZS_SETM_X5_X7_XZR ZS_SETE_X5_X7_XZR
               : "+r"(x5), "+r"(x7)
               :
               : "memory", "cc");
}

namespace zs::arm64 {

Availability probe_mops() {
  const auto caps = platform::arm64::read_hwcaps();
  if (caps && platform::arm64::has_mops(*caps))
    return {true, "HWCAP2_MOPS set (the kernel reports FEAT_MOPS)"};
  return {false,
          "HWCAP2_MOPS (bit 43 of AT_HWCAP2) clear: the CPU lacks FEAT_MOPS (Armv8.8), or the "
          "kernel predates its support (Linux 6.5), or an emulator without it (qemu-user "
          "7.2, Debian 12's, neither sets the bit nor executes SETP)"};
}

}  // namespace zs::arm64
