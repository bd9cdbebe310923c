// What the two ways of checking a folio share with the verifier that picks
// between them: backing_kpageflags.cc (pagemap + kpageflags, exact, root)
// and backing_smaps.cc (per-VMA counts, PMD-sized THP and hugetlb only).
// Not part of the public API (memory/backing.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "memory/backing.h"

namespace zs::backing_detail {

std::size_t base_page();

// The method could not tell.
inline BackingCheck unverified(std::string why) { return {false, false, std::move(why)}; }
// The method could tell, and the range is not one huge folio.
inline BackingCheck not_huge(std::string why) { return {true, false, std::move(why)}; }

// Whether pagemap, opened as `pagemap_fd`, shows PFNs to this process.
bool pfns_visible(int pagemap_fd);
// [addr, addr + bytes), page-aligned and a folio size, from pagemap and kpageflags.
BackingCheck check_kpageflags(int pagemap_fd, int kpageflags_fd, std::uintptr_t addr,
                              std::uint64_t bytes, bool hugetlb);
// The same range, from the VMA's counts in /proc/self/smaps.
BackingCheck check_smaps(std::uintptr_t addr, std::uint64_t bytes, bool hugetlb);

}  // namespace zs::backing_detail
