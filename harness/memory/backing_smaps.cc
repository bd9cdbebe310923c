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
#include "memory/thp_settings.h"

namespace zs::backing_detail {
namespace {

struct Vma {
  std::uintptr_t start = 0, end = 0;
  std::uint64_t rss_kb = 0, pmd_mapped_kb = 0, hugetlb_kb = 0, kernel_page_kb = 0;
  std::string vm_flags;
  // VmFlags is a list of two-letter names: "rd wr mr mw me ac sd hg".
  bool has_flag(std::string_view f) const {
    return fmt::format(" {} ", vm_flags).find(fmt::format(" {} ", f)) != std::string::npos;
  }
};

// "start-end perms ..." opens an entry; field lines are "Name:   N kB".
std::optional<std::pair<std::uintptr_t, std::uintptr_t>> vma_header(std::string_view line) {
  const auto space = line.find(' ');
  const auto dash = line.find('-');
  if (space == std::string_view::npos || dash == std::string_view::npos || dash > space)
    return std::nullopt;
  auto lo = parse_u64(fmt::format("0x{}", line.substr(0, dash)));
  auto hi = parse_u64(fmt::format("0x{}", line.substr(dash + 1, space - dash - 1)));
  if (!lo || !hi) return std::nullopt;
  return std::pair{static_cast<std::uintptr_t>(*lo), static_cast<std::uintptr_t>(*hi)};
}

std::uint64_t field_kb(std::string_view line) {
  auto colon = line.find(':');
  auto rest = line.substr(colon + 1);
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  return parse_u64(rest.substr(0, rest.find(' '))).value_or(0);
}

std::optional<Vma> find_vma(std::uintptr_t addr) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  std::optional<Vma> vma;
  while (std::getline(smaps, line)) {
    std::string_view l = line;
    if (auto range = vma_header(l)) {
      if (vma) break;  // the next entry: ours is complete
      if (addr >= range->first && addr < range->second) {
        vma.emplace();
        vma->start = range->first;
        vma->end = range->second;
      }
      continue;
    }
    if (!vma) continue;
    auto starts = [&](std::string_view name) { return l.substr(0, name.size()) == name; };
    if (starts("Rss:")) vma->rss_kb = field_kb(l);
    // PMD mappings of anonymous, shmem and file THPs are counted apart.
    else if (starts("AnonHugePages:") || starts("ShmemPmdMapped:") || starts("FilePmdMapped:"))
      vma->pmd_mapped_kb += field_kb(l);
    else if (starts("Private_Hugetlb:") || starts("Shared_Hugetlb:"))
      vma->hugetlb_kb += field_kb(l);
    else if (starts("KernelPageSize:"))
      vma->kernel_page_kb = field_kb(l);
    else if (starts("VmFlags:"))
      vma->vm_flags = line.substr(line.find(':') + 2);
  }
  return vma;
}

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
  auto v = find_vma(addr);
  if (!v) return not_huge(fmt::format("address {:#x} is not mapped", addr));
  if (addr + bytes > v->end)
    return unverified(fmt::format("range crosses the end of {}: smaps is per VMA", vma_text(*v)));
  return hugetlb ? judge_smaps_hugetlb(*v, addr, bytes) : judge_smaps_thp(*v, addr, bytes);
}

}  // namespace zs::backing_detail
