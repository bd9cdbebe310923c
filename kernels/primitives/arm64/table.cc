// The arm64 primitive table, the availability probes and the kernel's
// clear_page() choice.
#include <string>

#include "primitives/kernel_choice.h"
#include "primitives/primitive.h"

extern "C" {
void zs_zero_dc_zva(void*, std::size_t);
void zs_zero_stnp(void*, std::size_t);
void zs_zero_stp(void*, std::size_t);
void zs_zero_mops(void*, std::size_t);
}

namespace zs {
namespace arm64 {
std::uint64_t read_dczid();
Availability probe_mops();  // mops.cc

namespace {
Availability probe_dc_zva() {
  Dczid d = decode_dczid(read_dczid());
  if (d.prohibited) return {false, "DCZID_EL0.DZP is set: DC ZVA is prohibited at EL0"};
  return {true, "DCZID_EL0.DZP clear, block " + std::to_string(d.block_bytes) + " bytes",
          d.block_bytes, d.block_bytes};
}
Availability baseline() { return {true, "baseline A64"}; }

constexpr PrimitiveInfo kArm64[] = {
    {"dc-zva", "arm64", "DC ZVA (DCZID_EL0.DZP clear)", 64, 64, zs_zero_dc_zva, probe_dc_zva,
     "DC ZVA per block (kernel clear_page)"},
    {"stnp", "arm64", "", 16, 64, zs_zero_stnp, baseline,
     "4x STNP xzr pairs per 64 bytes (kernel fallback, non-temporal hint)"},
    {"stp", "arm64", "", 16, 64, zs_zero_stp, baseline, "4x STP xzr pairs per 64 bytes"},
    {"mops", "arm64", "FEAT_MOPS (HWCAP2_MOPS)", 1, 1, zs_zero_mops, probe_mops,
     "SETP/SETM/SETE from xzr (FEAT_MOPS memset; newer kernels' clear_page)"},
};
}  // namespace
}  // namespace arm64

std::span<const PrimitiveInfo> arch_primitives() { return arm64::kArm64; }
std::string_view arch_name() { return "arm64"; }
KernelChoice arch_kernel_choice() { return arm64_kernel_choice(arm64::read_dczid()); }

}  // namespace zs
