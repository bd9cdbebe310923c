// The arm64 registers EL0 may read (CTR_EL0, DCZID_EL0, and MIDR_EL1 where
// the kernel emulates the read) and the kernel's HWCAP words from the
// auxiliary vector.
#include <sys/auxv.h>

#include "platform/arm64_cpu.h"

namespace zs::platform::arm64 {

std::optional<std::uint64_t> read_ctr_el0() {
  std::uint64_t v;
  asm volatile("mrs %0, ctr_el0" : "=r"(v));
  return v;
}

std::optional<std::uint64_t> read_dczid_el0() {
  std::uint64_t v;
  asm volatile("mrs %0, dczid_el0" : "=r"(v));
  return v;
}

std::optional<std::uint64_t> read_midr_el1() {
  if ((getauxval(AT_HWCAP) & kHwcapCpuid) == 0) return std::nullopt;
  std::uint64_t v;
  asm volatile("mrs %0, midr_el1" : "=r"(v));
  return v;
}

std::optional<Hwcaps> read_hwcaps() {
  return Hwcaps{std::uint64_t(getauxval(AT_HWCAP)), std::uint64_t(getauxval(AT_HWCAP2))};
}

}  // namespace zs::platform::arm64
