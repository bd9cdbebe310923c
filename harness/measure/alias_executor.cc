#include "measure/alias_executor.h"

#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/units.h"
#include "memory/folio_pool.h"
#include "memory/smaps.h"

namespace zs {

VmaEntries smaps_entries(const void* start) {
  VmaEntries v;
  const auto want = reinterpret_cast<std::uintptr_t>(start);
  const std::optional<SmapsVma> vma = smaps_vma(want);
  if (!vma || vma->start != want) return v;
  v.found = true;
  v.rss_kb = vma->rss_kb;
  v.pmd_kb = vma->pmd_mapped_kb;
  v.kernel_page_kb = vma->kernel_page_kb;
  return v;
}

AliasWindow::AliasWindow(int fd, std::uint64_t folio_bytes, std::size_t page_size,
                         bool huge_entries)
    : fd_(fd), folio_(folio_bytes), page_(page_size), huge_(huge_entries) {
  // Free address space for the alias: reserved to find it, then released,
  // so each map op takes it with MAP_FIXED_NOREPLACE (never over a mapping
  // something else placed there). Base entries: one page off the folio's
  // alignment, so the shmem folio can never be PMD-mapped here.
  const std::size_t span = 3 * folio_;
  void* r = ::mmap(nullptr, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (r == MAP_FAILED)
    throw SetupError(fmt::format("cannot reserve the alias window ({}): {}", exact_size(span),
                                 std::strerror(errno)));
  auto aligned = (reinterpret_cast<std::uintptr_t>(r) + folio_ - 1) / folio_ * folio_;
  base_ = reinterpret_cast<std::byte*>(aligned + (huge_ ? 0 : page_));
  auto* lo = static_cast<std::byte*>(r);
  if (base_ > lo) ::munmap(lo, std::size_t(base_ - lo));
  ::munmap(base_ + folio_, std::size_t(lo + span - (base_ + folio_)));
}

AliasWindow::~AliasWindow() { ::munmap(base_, folio_); }

void AliasWindow::hold() {
  ::mmap(base_, folio_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

std::optional<std::string> AliasWindow::check_entries(std::uint64_t folio_offset) {
  release();
  if (!map(folio_offset, 0, folio_ / page_)) {
    const int e = errno;
    hold();
    return fmt::format("the alias of the folio cannot be mapped: {}", std::strerror(e));
  }
  const VmaEntries v = smaps_entries(base_);
  unmap(0, folio_ / page_);
  hold();
  if (!v.found) return std::string("the alias's VMA is not in /proc/self/smaps");
  if (huge_) return std::nullopt;  // hugetlbfs: one huge entry is all it allows
  if (v.pmd_kb != 0 || v.kernel_page_kb * 1024 != page_)
    return fmt::format(
        "the alias is mapped with huge entries ({} kB PMD-mapped, kernel page {} kB), not {}",
        v.pmd_kb, v.kernel_page_kb, exact_size(page_));
  if (v.rss_kb * 1024 != folio_)
    return fmt::format("the alias was not populated ({} kB resident of {})", v.rss_kb,
                       exact_size(folio_));
  return std::nullopt;
}

std::unique_ptr<AliasWindow> make_alias_window(const FolioPool& pool) {
  if (pool.source() != PoolSource::memfd)
    throw SetupError("internal: an aliased plan over a pool that is not memfd-backed");
  auto w = std::make_unique<AliasWindow>(pool.fd(), pool.folio_bytes(), pool.page_bytes(),
                                         pool.backing() == Backing::hugetlb);
  if (auto why = w->check_entries(pool.file_offset(0)))
    throw SetupError(fmt::format("alias of a {} {} folio: {}", to_string(pool.backing()),
                                 exact_size(pool.folio_bytes()), *why));
  return w;
}

std::optional<std::string> check_aliased(const Plan& plan) {
  bool mapped = false;
  std::uint64_t lo = 0, hi = 0;
  for (const PlanOp& op : plan.ops) {
    if (op.kind == PlanOp::Kind::resched) continue;
    if (op.count == 0 || op.first >= plan.nr_pages || op.count > plan.nr_pages - op.first)
      return fmt::format("plan touches pages [{}, {}) outside the folio of {} pages", op.first,
                         op.first + op.count, plan.nr_pages);
    if (op.kind == PlanOp::Kind::map) {
      if (mapped) return std::string("plan maps an alias while another is mapped");
      mapped = true, lo = op.first, hi = op.first + op.count;
    } else if (op.kind == PlanOp::Kind::unmap) {
      if (!mapped || op.first != lo || op.first + op.count != hi)
        return fmt::format("plan unmaps [{}, {}), which is not the alias mapped", op.first,
                           op.first + op.count);
      mapped = false;
    } else if (!mapped || op.first < lo || op.first + op.count > hi) {
      return fmt::format("plan clears pages [{}, {}) outside the alias mapped", op.first,
                         op.first + op.count);
    }
  }
  if (mapped) return std::string("plan leaves its alias mapped");
  return std::nullopt;
}

}  // namespace zs
