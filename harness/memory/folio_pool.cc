#include "memory/folio_pool.h"
#include "common/linux_compat.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/units.h"

namespace zs {

namespace {
constexpr std::pair<Backing, const char*> kBackings[] = {{Backing::thp, "thp"},
                                                         {Backing::mthp, "mthp"},
                                                         {Backing::hugetlb, "hugetlb"},
                                                         {Backing::base, "base"}};

std::uint64_t base_page() { return static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)); }

std::string offered_thp_sizes() {
  std::vector<std::string> sizes;
  for (const ThpSize& t : thp_sizes()) sizes.push_back(exact_size(t.bytes));
  return sizes.empty() ? "none" : fmt::format("{}", fmt::join(sizes, ", "));
}
}  // namespace

std::optional<Backing> parse_backing(std::string_view s) {
  for (auto [b, n] : kBackings)
    if (s == n) return b;
  return std::nullopt;
}

const char* to_string(Backing b) {
  for (auto [c, n] : kBackings)
    if (c == b) return n;
  return "?";
}

std::optional<std::string> backing_unusable(Backing backing, std::uint64_t folio_bytes,
                                            const PoolOptions& opt) {
  const std::uint64_t page = base_page();
  if (folio_bytes == 0 || folio_bytes % page != 0)
    return fmt::format("folio size {} is not a multiple of the base page ({} bytes)", folio_bytes,
                       page);
  switch (backing) {
    case Backing::base:
      return std::nullopt;
    case Backing::thp: {
      const std::uint64_t pmd = thp_pmd_bytes();
      if (pmd == 0)
        return std::string(
            "thp: this kernel has no transparent huge pages (CONFIG_TRANSPARENT_HUGEPAGE)");
      if (folio_bytes != pmd)
        return fmt::format(
            "thp folios are {} (hpage_pmd_size) on this machine, not {}; use backing mthp for {}",
            exact_size(pmd), exact_size(folio_bytes), offered_thp_sizes());
      return thp_size_unusable(folio_bytes);
    }
    case Backing::mthp: {
      bool offered = false;
      for (const ThpSize& t : thp_sizes()) offered = offered || t.bytes == folio_bytes;
      if (!offered)
        return fmt::format("mthp: the kernel offers no {} anonymous size; it offers: {}",
                           exact_size(folio_bytes), offered_thp_sizes());
      if (opt.enable_mthp) return std::nullopt;  // MthpEnable checks permission when it runs
      return thp_size_unusable(folio_bytes);
    }
    case Backing::hugetlb: {
      if (!std::has_single_bit(folio_bytes) || !hugetlb_pool(folio_bytes)) {
        std::vector<std::string> sizes;
        for (const HugetlbPool& p : hugetlb_pools()) sizes.push_back(exact_size(p.page_bytes));
        return fmt::format("hugetlb: the kernel has no {} pool; it has: {}",
                           exact_size(folio_bytes),
                           sizes.empty() ? "none" : fmt::format("{}", fmt::join(sizes, ", ")));
      }
      return std::nullopt;  // the page count is checked when the pool is made
    }
  }
  return std::string("unknown backing");
}

FolioPool::FolioPool(Backing backing, std::uint64_t folio_bytes, std::size_t count,
                     const PoolOptions& opt, PoolSource source)
    : backing_(backing), folio_bytes_(folio_bytes), page_bytes_(base_page()), count_(count) {
  if (count_ == 0) throw SetupError("a folio pool needs at least one folio");
  if (auto why = source == PoolSource::memfd ? memfd_backing_unusable(backing, folio_bytes, opt)
                                             : backing_unusable(backing, folio_bytes, opt))
    throw SetupError(*why);
  if (backing_ == Backing::mthp && opt.enable_mthp) mthp_.emplace(folio_bytes_);
  if (source == PoolSource::memfd) {
    if (backing_ == Backing::thp && opt.enable_shmem_thp) shmem_.emplace(folio_bytes_);
    if (backing_ == Backing::hugetlb)
      reservation_.emplace(ensure_hugetlb_pages(folio_bytes_, count_, opt.reserve_hugetlb));
    memfd_.emplace(backing_, folio_bytes_, count_);
    base_ = memfd_->base();
    stride_ = memfd_->stride();
  } else if (backing_ == Backing::hugetlb) {
    reservation_.emplace(ensure_hugetlb_pages(folio_bytes_, count_, opt.reserve_hugetlb));
    map_hugetlb();
  } else {
    map_anonymous();
  }
  checks_.resize(count_);
  for (std::size_t i = 0; i < count_; ++i) {
    populate(i);
    reverify(i);
  }
}

FolioPool::~FolioPool() {
  if (raw_ != nullptr) munmap(raw_, raw_bytes_);
}

void FolioPool::map_anonymous() {
  // One VMA per folio, exactly the folio's size and aligned to it, with a
  // PROT_NONE gap between folios: the kernel cannot place a larger folio
  // than asked (an mTHP pool would otherwise get PMD folios where both are
  // enabled), and smaps then describes one folio per VMA.
  stride_ = 2 * folio_bytes_;
  raw_bytes_ = count_ * stride_ + folio_bytes_;
  void* raw = mmap(nullptr, raw_bytes_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED)
    throw SetupError(fmt::format("cannot map {} x {} of anonymous memory: {}", count_,
                                 exact_size(folio_bytes_), std::strerror(errno)));
  raw_ = static_cast<std::byte*>(raw);
  auto start =
      (reinterpret_cast<std::uintptr_t>(raw) + folio_bytes_ - 1) / folio_bytes_ * folio_bytes_;
  base_ = reinterpret_cast<std::byte*>(start);
  const int advice = backing_ == Backing::base ? MADV_NOHUGEPAGE : MADV_HUGEPAGE;
  for (std::size_t i = 0; i < count_; ++i) {
    if (mprotect(folio(i) + folio_bytes_, folio_bytes_, PROT_NONE) != 0 ||
        madvise(folio(i), folio_bytes_, advice) != 0)
      throw SetupError(
          fmt::format("cannot prepare folio {}: {} (madvise/mprotect)", i, std::strerror(errno)));
  }
}

int FolioPool::hugetlb_flags() const {
  return MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
         (std::countr_zero(folio_bytes_) << MAP_HUGE_SHIFT);
}

void FolioPool::map_hugetlb() {
  stride_ = folio_bytes_;
  raw_bytes_ = count_ * folio_bytes_;
  void* raw = mmap(nullptr, raw_bytes_, PROT_READ | PROT_WRITE, hugetlb_flags(), -1, 0);
  if (raw == MAP_FAILED)
    throw SetupError(fmt::format(
        "hugetlb: mmap of {} x {} failed: {}; check the pool with 'grep . {}/*'", count_,
        exact_size(folio_bytes_), std::strerror(errno),
        hugetlb_pool(folio_bytes_) ? hugetlb_pool(folio_bytes_)->dir : "/sys/kernel/mm/hugepages"));
  raw_ = base_ = static_cast<std::byte*>(raw);
}

void FolioPool::populate(std::size_t i) {
  if (madvise(folio(i), folio_bytes_, MADV_POPULATE_WRITE) == 0) return;
  for (std::uint64_t off = 0; off < folio_bytes_; off += page_bytes_)
    *reinterpret_cast<volatile char*>(folio(i) + off) = 0;
}

void FolioPool::discard(std::size_t i) {
  if (memfd_) return memfd_->punch(file_offset(i), folio_bytes_);
  if (backing_ != Backing::hugetlb) {
    if (madvise(folio(i), folio_bytes_, MADV_DONTNEED) != 0)
      throw std::runtime_error(
          fmt::format("MADV_DONTNEED of folio {}: {}", i, std::strerror(errno)));
    return;
  }
  // The page goes back to the pool; the new mapping takes one out of it at
  // the next fault.
  if (munmap(folio(i), folio_bytes_) != 0)
    throw std::runtime_error(
        fmt::format("munmap of hugetlb folio {}: {}", i, std::strerror(errno)));
  void* p = mmap(folio(i), folio_bytes_, PROT_READ | PROT_WRITE,
                 hugetlb_flags() | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != folio(i))
    throw std::runtime_error(
        fmt::format("re-mmap of hugetlb folio {}: {}", i, std::strerror(errno)));
}

const BackingCheck& FolioPool::reverify(std::size_t i) {
  checks_[i] = verifier_.check_folio(folio(i), folio_bytes_, backing_ == Backing::hugetlb);
  return checks_[i];
}

std::size_t FolioPool::huge_count() const {
  return static_cast<std::size_t>(std::count_if(
      checks_.begin(), checks_.end(), [](const BackingCheck& c) { return c.verified && c.huge; }));
}

std::string FolioPool::describe() const {
  std::size_t unverified = static_cast<std::size_t>(std::count_if(
      checks_.begin(), checks_.end(), [](const BackingCheck& c) { return !c.verified; }));
  return fmt::format("{} {} x {}, verified by {}: {} huge, {} not huge, {} unverified",
                     to_string(backing_), exact_size(folio_bytes_), count_,
                     to_string(verifier_.method()), huge_count(),
                     count_ - huge_count() - unverified, unverified);
}

}  // namespace zs
