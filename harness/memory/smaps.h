// What /proc/self/smaps reports: the anonymous huge pages of an address
// range (the per-loop check of mmap-bench), and one VMA's entries (the
// fallback backing check where pagemap PFNs are hidden, and the alias
// mapping's check that it uses 4 KiB entries).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace zs {

// The address range of a mapping's line in /proc/self/maps (or the entry
// header in smaps): "start-end perms ...", hex; nullopt for any other line.
std::optional<std::pair<std::uintptr_t, std::uintptr_t>> vma_header(std::string_view line);

struct SmapsHuge {
  bool readable = false;
  bool exact = true;  // every VMA over the range lies inside it, so the count is ours alone
  std::uint64_t anon_huge_bytes = 0;
};

// AnonHugePages of the VMAs covering [lo, hi). smaps counts per VMA, so a
// VMA reaching outside the range (merged with a neighbour) makes the count
// not attributable (exact = false).
SmapsHuge smaps_anon_huge(std::uintptr_t lo, std::uintptr_t hi);

// One VMA's entry, in kB: resident, PMD-mapped (anonymous, shmem and file
// THPs together), hugetlb, and its kernel page size.
struct SmapsVma {
  std::uintptr_t start = 0, end = 0;
  std::uint64_t rss_kb = 0, pmd_mapped_kb = 0, hugetlb_kb = 0, kernel_page_kb = 0;
  std::string vm_flags;
  // VmFlags is a list of two-letter names: "rd wr mr mw me ac sd hg".
  bool has_flag(std::string_view f) const;
};
// The VMA containing `addr`, or nullopt (none, or smaps unreadable).
std::optional<SmapsVma> smaps_vma(std::uintptr_t addr);

}  // namespace zs
