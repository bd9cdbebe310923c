// Runs an aliased plan (the alias strategies: map, clear, unmap) the way the
// kernel zeroes memory outside its direct map (Jackman's mermap): each map
// op makes a second mapping of the folio's file range, populated at once
// (the kernel installs the entries directly), each clear writes through it,
// each unmap is a real munmap with its TLB flush. All of it is inside the
// timed zero phase; the same sequence without the clears (run_mapping) is
// timed apart, so the analogue's own syscall cost, which the kernel does not
// pay, can be subtracted (docs/alias-zeroing.md).
//
// The alias uses 4 KiB entries for shmem THP: it is placed one base page off
// the folio's alignment, so the kernel can never map it with a PMD.
// hugetlbfs cannot be mapped with base entries at all: there every map op
// maps the whole folio with one huge entry (alias-page then maps the folio
// once per page), and the record says so.
#pragma once

#include <sys/mman.h>

#include "common/linux_compat.h"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "primitives/registry.h"
#include "strategies/plan.h"

namespace zs {

class AliasWindow {
 public:
  // An address window for the alias of one folio of a memfd of
  // `folio_bytes` folios, in pages of `page_size`; `huge_entries`: a
  // hugetlbfs file (mapped whole, with a huge entry).
  AliasWindow(int fd, std::uint64_t folio_bytes, std::size_t page_size, bool huge_entries);
  ~AliasWindow();
  AliasWindow(const AliasWindow&) = delete;
  AliasWindow& operator=(const AliasWindow&) = delete;

  bool huge_entries() const { return huge_; }
  // Where page 0 of the folio appears in the alias while it is mapped.
  std::byte* base() const { return base_; }

  // Maps pages [first, first + count) of the folio at file offset
  // `folio_offset` at base() + first pages; false (errno kept) on failure.
  bool map(std::uint64_t folio_offset, std::uint64_t first, std::uint64_t count) {
    std::uint64_t off = folio_offset + first * page_, at = first * page_, len = count * page_;
    if (huge_) off = folio_offset, at = 0, len = folio_;
    void* p = ::mmap(base_ + at, len, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_POPULATE | MAP_FIXED_NOREPLACE, fd_, static_cast<off_t>(off));
    if (p == base_ + at) return true;
    if (p != MAP_FAILED) ::munmap(p, len);  // a kernel that ignored the fixed address
    return false;
  }
  bool unmap(std::uint64_t first, std::uint64_t count) {
    if (huge_) return ::munmap(base_, folio_) == 0;
    return ::munmap(base_ + first * page_, count * page_) == 0;
  }

  // Between plans the window is held by a PROT_NONE reservation, so nothing
  // else is placed there; release() frees it right before a plan runs (its
  // map ops take the address with MAP_FIXED_NOREPLACE: a real mmap into a
  // hole, as the kernel's mapping is), hold() takes it back afterwards,
  // replacing whatever a failed plan left mapped. Neither is timed.
  void release() { ::munmap(base_, folio_); }
  void hold();

  // Outside the timed phases: maps the folio at `folio_offset` as the plan's
  // first map op would, reads the alias VMA's entries from /proc/self/smaps,
  // unmaps. nullopt when the alias is mapped with base pages as intended (or,
  // for hugetlbfs, one huge entry, which is all it allows); otherwise why not.
  std::optional<std::string> check_entries(std::uint64_t folio_offset);

 private:
  int fd_;
  std::uint64_t folio_;
  std::size_t page_;
  bool huge_;
  std::byte* base_ = nullptr;
};

// Runs `plan` over the folio at `folio_offset` of the window's file: with
// clears (the zero phase) or without (`clears` false: the mapping-only
// sequence). Returns 0, or the errno of the first map/unmap that failed (the
// plan stops there: nothing is written through a missing alias).
template <class OnResched>
inline int execute_aliased(const Plan& plan, zs_zero_fn fn, AliasWindow& w,
                           std::uint64_t folio_offset, std::size_t page_size, bool clears,
                           OnResched&& on_resched) {
  for (const PlanOp& op : plan.ops) {
    switch (op.kind) {
      case PlanOp::Kind::clear:
        if (clears) fn(w.base() + op.first * page_size, op.count * page_size);
        break;
      case PlanOp::Kind::resched:
        on_resched();
        break;
      case PlanOp::Kind::map:
        if (!w.map(folio_offset, op.first, op.count)) return errno ? errno : EINVAL;
        break;
      case PlanOp::Kind::unmap:
        if (!w.unmap(op.first, op.count)) return errno ? errno : EINVAL;
        break;
    }
  }
  return 0;
}

// The page-table entries /proc/self/smaps reports for the VMA that starts
// at `start` (kB): how much is resident, how much of it PMD-mapped, and the
// VMA's kernel page size. found = false when no VMA starts there.
struct VmaEntries {
  bool found = false;
  std::uint64_t rss_kb = 0, pmd_kb = 0, kernel_page_kb = 0;
};
VmaEntries smaps_entries(const void* start);

class FolioPool;
// The window for a memfd pool's folios, its entries checked on folio 0
// (check_entries) before any sample; throws SetupError naming the problem.
std::unique_ptr<AliasWindow> make_alias_window(const FolioPool& pool);

// Why an aliased plan cannot run (a clear outside every live alias, a map
// or unmap outside the folio, a mapping left at the end), or nullopt.
std::optional<std::string> check_aliased(const Plan& plan);

}  // namespace zs
