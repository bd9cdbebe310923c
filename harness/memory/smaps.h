// The anonymous huge pages /proc/self/smaps reports for an address range:
// the fallback THP check where pagemap PFNs are hidden, and the per-loop
// check of mmap-bench.
#pragma once

#include <cstdint>

namespace zs {

struct SmapsHuge {
  bool readable = false;
  bool exact = true;  // every VMA over the range lies inside it, so the count is ours alone
  std::uint64_t anon_huge_bytes = 0;
};

// AnonHugePages of the VMAs covering [lo, hi). smaps counts per VMA, so a
// VMA reaching outside the range (merged with a neighbour) makes the count
// not attributable (exact = false).
SmapsHuge smaps_anon_huge(std::uintptr_t lo, std::uintptr_t hi);

}  // namespace zs
