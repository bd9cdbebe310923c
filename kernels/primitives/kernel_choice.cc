#include "primitives/kernel_choice.h"

namespace zs {

KernelChoice x86_kernel_choice(bool erms, bool rep_good, std::string_view source) {
  std::string src(source);
  if (erms) return {"stosb", "ERMS set (" + src + "): clear_page_erms, rep stosb"};
  if (rep_good)
    return {"stosq", "REP_GOOD set, ERMS clear (" + src + "): clear_page_rep, rep stosq"};
  return {"movq", "neither ERMS nor REP_GOOD (" + src + "): clear_page_orig, unrolled movq"};
}

Dczid decode_dczid(std::uint64_t v) {
  return Dczid{(v & 0x10u) != 0, std::size_t{4} << (v & 0xfu)};
}

KernelChoice arm64_kernel_choice(std::uint64_t dczid_el0) {
  Dczid d = decode_dczid(dczid_el0);
  if (d.prohibited) return {"stnp", "DCZID_EL0.DZP set: DC ZVA prohibited, clear_page uses STNP"};
  return {"dc-zva", "DCZID_EL0.DZP clear: clear_page uses DC ZVA, block " +
                        std::to_string(d.block_bytes) + " bytes"};
}

}  // namespace zs
