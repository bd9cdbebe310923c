// The fallback check of a folio, without root: /proc/self/smaps counts per
// VMA, so it can confirm a range only where the VMA's counts leave no doubt
// (a hugetlb VMA of the folio's page size, fully faulted in; a VMA that is
// all PMD-mapped THP) and says "unverified" where they do.
#include <algorithm>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "common/parse.h"
#include "common/units.h"
#include "memory/backing_detail.h"
#include "memory/smaps.h"
#include "memory/thp_settings.h"

namespace zs::backing_detail {
namespace {

using Vma = SmapsVma;

std::string vma_text(const Vma& v) {
  return fmt::format("VMA {:#x}-{:#x} ({})", v.start, v.end, exact_size(v.end - v.start));
}

// hugetlb pages cannot fall back: a hugetlb VMA's KernelPageSize is the folio
// size of every page in it, and a fault that finds the pool empty is SIGBUS,
// never a base page. What smaps cannot say per page is whether it has been
// faulted in yet, only how much of the VMA has.
BackingCheck judge_smaps_hugetlb(const Vma& v, std::uintptr_t addr, std::uint64_t bytes) {
  const std::uint64_t kps = v.kernel_page_kb * 1024, vma_bytes = v.end - v.start;
  if (!v.has_flag("ht"))
    return not_huge(
        fmt::format("{} is not hugetlb (KernelPageSize {} kB)", vma_text(v), v.kernel_page_kb));
  if (kps < bytes)
    return not_huge(
        fmt::format("hugetlb page size is {}: the range holds several folios", exact_size(kps)));
  if (kps > bytes)
    return not_huge(fmt::format("hugetlb page size is {}: the range is inside a larger folio",
                                exact_size(kps)));
  // A hugetlb VMA starts on a page boundary of its size, so an offset into it
  // that is not a multiple straddles two pages.
  if ((addr - v.start) % kps != 0)
    return not_huge(fmt::format("range not aligned to the {} hugetlb page: it straddles two folios",
                                exact_size(kps)));
  const std::uint64_t mapped = v.hugetlb_kb * 1024;
  if (mapped == 0) return not_huge(fmt::format("{}: no hugetlb page faulted in yet", vma_text(v)));
  if (mapped >= vma_bytes)
    return {true, true,
            fmt::format("hugetlb {} page, {} fully faulted in", exact_size(kps), vma_text(v))};
  return unverified(fmt::format(
      "{}: {} kB of it faulted in; smaps is per VMA and cannot say whether this page is",
      vma_text(v), v.hugetlb_kb));
}

// AnonHugePages counts PMD mappings only, and per VMA, not per range. So
// smaps can confirm a range only when the VMA is all PMD-mapped, refute it
// only when none of it is, and otherwise cannot attribute the count to this
// range. It never sees mTHP folios, nor a 2 MiB folio mapped by PTEs (after
// an mprotect or mremap split the PMD): such a folio reads as "not huge".
BackingCheck judge_smaps_thp(const Vma& v, std::uintptr_t addr, std::uint64_t bytes) {
  const std::uint64_t pmd = thp_pmd_bytes();
  if (pmd == 0) return unverified("THP is not built into this kernel (no hpage_pmd_size)");
  if (bytes != pmd)
    return unverified(fmt::format(
        "smaps cannot see mTHP: AnonHugePages counts only PMD-mapped {} folios, not {}; "
        "kpageflags (root) can tell",
        exact_size(pmd), exact_size(bytes)));
  if (v.has_flag("ht")) return not_huge(fmt::format("{} is hugetlb, not THP", vma_text(v)));
  if (addr % pmd != 0)
    return unverified(fmt::format(
        "range not {}-aligned: it cannot be PMD-mapped, and smaps sees only PMD mappings",
        exact_size(pmd)));
  const std::uint64_t first_slot = (v.start + pmd - 1) / pmd * pmd;
  const std::uint64_t slots =
      v.end / pmd * pmd > first_slot ? (v.end / pmd * pmd - first_slot) / pmd : 0;
  const std::uint64_t huge_bytes = v.pmd_mapped_kb * 1024;
  if (huge_bytes == 0) {
    std::string why = fmt::format("AnonHugePages 0 kB in {}: not PMD-mapped", vma_text(v));
    if (v.has_flag("nh")) why += " (VMA is MADV_NOHUGEPAGE)";
    if (v.end - v.start == bytes && v.rss_kb * 1024 < bytes)
      why += fmt::format(", Rss {} kB", v.rss_kb);
    return not_huge(why);
  }
  if (huge_bytes >= slots * pmd)
    return {true, true,
            fmt::format("{} entirely PMD-mapped THP ({} kB)", vma_text(v), v.pmd_mapped_kb)};
  return unverified(fmt::format(
      "{} has {} kB PMD-mapped THP of {} kB possible: smaps is per VMA and cannot say whether "
      "this range is among them",
      vma_text(v), v.pmd_mapped_kb, slots * pmd / 1024));
}

}  // namespace

BackingCheck check_smaps(std::uintptr_t addr, std::uint64_t bytes, bool hugetlb) {
  auto v = smaps_vma(addr);
  if (!v) return not_huge(fmt::format("address {:#x} is not mapped", addr));
  if (addr + bytes > v->end)
    return unverified(fmt::format("range crosses the end of {}: smaps is per VMA", vma_text(*v)));
  return hugetlb ? judge_smaps_hugetlb(*v, addr, bytes) : judge_smaps_thp(*v, addr, bytes);
}

}  // namespace zs::backing_detail
