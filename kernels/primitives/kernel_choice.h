// Which primitive the kernel's clear_page()/clear_pages() runs on a CPU,
// decided from the same facts the kernel decides on. Pure functions, so the
// decision for every architecture is tested on any host.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "primitives/primitive.h"

namespace zs {

// x86_64: clear_page is patched by alternatives to clear_page_erms (rep stosb)
// with X86_FEATURE_ERMS, clear_page_rep (rep stosq) with REP_GOOD, else
// clear_page_orig (unrolled movq). `source` names where the flags came from.
KernelChoice x86_kernel_choice(bool erms, bool rep_good, std::string_view source);

// arm64 DCZID_EL0: bits [3:0] BS = log2(block size in 4-byte words), bit 4 DZP
// (DC ZVA prohibited).
struct Dczid {
  bool prohibited;
  std::size_t block_bytes;
};
Dczid decode_dczid(std::uint64_t dczid_el0);

// arm64: clear_page uses DC ZVA unless DZP is set, then STNP pairs.
KernelChoice arm64_kernel_choice(std::uint64_t dczid_el0);

}  // namespace zs
