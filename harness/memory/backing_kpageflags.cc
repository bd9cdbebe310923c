// The exact check of a folio: pagemap gives each page's PFN, kpageflags the
// flags of the struct page there (compound head or tail, THP, hugetlb, the
// zero page), so a fallback to base pages, a split folio or a range inside a
// larger folio are each told apart. Needs CAP_SYS_ADMIN when pagemap is
// opened (else PFNs read as 0).
#include <linux/kernel-page-flags.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "common/units.h"
#include "memory/backing_detail.h"

namespace zs::backing_detail {
namespace {

// Documentation/admin-guide/mm/pagemap.rst. Bits 55-62 (soft-dirty,
// exclusive, uffd-wp, guard, file, swap) are not needed here, except that
// bit 62 tells a swapped-out page from one never faulted in.
constexpr std::uint64_t kPmPresent = 1ull << 63;
constexpr std::uint64_t kPmSwapped = 1ull << 62;
constexpr std::uint64_t kPmPfnMask = (1ull << 55) - 1;

constexpr std::uint64_t bit(int kpf) { return 1ull << kpf; }

// Reads `count` u64 entries at entry index `index`; returns how many arrived.
// /proc/kpageflags ends at the highest PFN, so a short read there is an
// answer ("no such page"), not an error.
std::size_t pread_u64s(int fd, std::uint64_t* out, std::size_t count, std::uint64_t index) {
  auto* dst = reinterpret_cast<char*>(out);
  const std::size_t want = count * sizeof(std::uint64_t);
  std::size_t got = 0;
  errno = 0;
  while (got < want) {
    ssize_t r =
        ::pread(fd, dst + got, want - got, static_cast<off_t>(index * sizeof(std::uint64_t) + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got / sizeof(std::uint64_t);
}

// After pread_u64s came back short: the error, or the end of the file.
std::string short_read() { return errno != 0 ? std::strerror(errno) : "end of file"; }

// Why page `i` of the range, whose flags are `f`, is where the folio that
// starts at page 0 stops; nullopt when it is simply the next tail.
std::optional<std::string> breaks_folio(std::size_t i, std::uint64_t f) {
  if (f & bit(KPF_COMPOUND_HEAD))
    return fmt::format("page {} is a compound head: the range holds several folios", i);
  if (!(f & bit(KPF_COMPOUND_TAIL)))
    return fmt::format(
        "page {} is a base page: the folio at page 0 ends before it, the range holds several "
        "folios",
        i);
  return std::nullopt;
}

// One snapshot of the range: pagemap, then kpageflags for the contiguous run
// from page 0 (plus the page just past it), then pagemap again by the caller.
BackingCheck judge_kpageflags(int kpageflags_fd, const std::vector<std::uint64_t>& pm,
                              std::uint64_t bytes, bool hugetlb) {
  const std::size_t n = pm.size();
  std::vector<std::uint64_t> pfn(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!(pm[i] & kPmPresent))
      return not_huge(fmt::format("page {} not present ({})", i,
                                  (pm[i] & kPmSwapped) ? "swapped out" : "not faulted in"));
    pfn[i] = pm[i] & kPmPfnMask;
    if (pfn[i] == 0) return unverified("pagemap hides PFNs (no CAP_SYS_ADMIN when it was opened)");
  }

  std::size_t run = 1;
  while (run < n && pfn[run] == pfn[0] + run) ++run;
  // When the whole range is contiguous, one more entry: the page physically
  // after it, to catch a range that starts at a head but is only the front of
  // a larger folio (its pages 0..n-1 alone look exactly like a folio of n).
  const std::size_t want = run == n ? n + 1 : run;
  std::vector<std::uint64_t> flags(want, 0);
  const std::size_t got = pread_u64s(kpageflags_fd, flags.data(), want, pfn[0]);
  if (got < run)
    return unverified(
        fmt::format("/proc/kpageflags: short read at pfn {:#x}: {}", pfn[0], short_read()));

  const std::uint64_t f0 = flags[0];
  if (f0 & bit(KPF_NOPAGE))
    return unverified(fmt::format("pfn {:#x} has no struct page (KPF_NOPAGE)", pfn[0]));
  // The huge zero folio is shared by every read-faulted THP range: the first
  // write replaces it with a fresh folio, so it says nothing about what a
  // zeroing run will get.
  if (f0 & bit(KPF_ZERO_PAGE))
    return not_huge(
        "page 0 is the zero page: read-faulted, never written; a write will allocate a new folio");
  if (f0 & bit(KPF_COMPOUND_TAIL))
    return not_huge("page 0 is a tail: the range starts inside a larger folio");
  if (!(f0 & bit(KPF_COMPOUND_HEAD)))
    return not_huge(
        fmt::format("page 0 is a base {} page, not a compound head: not a huge folio (fallen back "
                    "to base pages)",
                    exact_size(base_page())));
  if (hugetlb && !(f0 & bit(KPF_HUGE)))
    return not_huge("page 0 is a compound head without KPF_HUGE: not a hugetlb folio");
  if (!hugetlb && (f0 & bit(KPF_HUGE))) return not_huge("page 0 heads a hugetlb folio, not a THP");
  // KPF_THP is set for large rmappable folios, and since 6.x that means every
  // anonymous large folio, mTHP sizes as well as PMD (seen on 6.18: head and
  // tails alike); a compound head without it is a driver's compound page
  // mapped into user space, not memory an anonymous fault gave us.
  if (!hugetlb && !(f0 & bit(KPF_THP)))
    return not_huge("page 0 is a compound head without KPF_THP: not a THP");

  for (std::size_t i = 1; i < run; ++i)
    if (auto why = breaks_folio(i, flags[i])) return not_huge(*why);
  if (run < n) {
    std::uint64_t f = 0;
    if (pread_u64s(kpageflags_fd, &f, 1, pfn[run]) != 1)
      return unverified(fmt::format("/proc/kpageflags: short read at pfn {:#x}", pfn[run]));
    if (auto why = breaks_folio(run, f)) return not_huge(*why);
    return not_huge(fmt::format(
        "page {} (pfn {:#x}) does not follow page {} (pfn {:#x}): not physically contiguous", run,
        pfn[run], run - 1, pfn[run - 1]));
  }
  // Folios are naturally aligned in PFN space, so with a head at page 0 and
  // n-1 tails after it this cannot fail on a sane kernel; if it ever does,
  // the range is not what the kernel's folio rules promise.
  if (pfn[0] % n != 0) return not_huge(fmt::format("pfn {:#x} not aligned to {} pages", pfn[0], n));
  if (got > n && (flags[n] & bit(KPF_COMPOUND_TAIL)))
    return not_huge(fmt::format(
        "pfn {:#x} past the range is still a tail: the range is the front of a larger folio",
        pfn[0] + n));

  const char* kind = hugetlb ? "hugetlb" : (f0 & bit(KPF_ANON)) ? "anonymous THP" : "file THP";
  return {true, true, fmt::format("one {} {} folio at pfn {:#x}", exact_size(bytes), kind, pfn[0])};
}

}  // namespace

// pagemap hides PFNs (reports 0) unless the opener held CAP_SYS_ADMIN in the
// initial user namespace; the kernel decides once, at open(). A page this
// function has just written is present, and PFN 0 is never handed to user
// space, so a present entry with PFN 0 means the PFNs are hidden (e.g. root
// inside a user namespace).
bool pfns_visible(int pagemap_fd) {
  volatile std::uint64_t probe = 1;
  const auto page = reinterpret_cast<std::uintptr_t>(&probe) / base_page();
  std::uint64_t entry = 0;
  if (pread_u64s(pagemap_fd, &entry, 1, page) != 1) return false;
  return (entry & kPmPresent) && (entry & kPmPfnMask) != 0;
}

BackingCheck check_kpageflags(int pagemap_fd, int kpageflags_fd, std::uintptr_t addr,
                              std::uint64_t bytes, bool hugetlb) {
  const std::size_t page = base_page();
  const std::size_t n = bytes / page;
  std::vector<std::uint64_t> before(n), after(n);
  // Compaction, NUMA balancing and khugepaged move pages between the reads;
  // a verdict is only given on a snapshot whose PFNs did not change under it.
  // Only presence and PFN are compared: the soft-dirty and exclusive bits
  // may change without the page moving.
  auto same_pages = [&] {
    for (std::size_t i = 0; i < n; ++i)
      if ((before[i] ^ after[i]) & (kPmPresent | kPmPfnMask)) return false;
    return true;
  };
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (pread_u64s(pagemap_fd, before.data(), n, addr / page) != n)
      return unverified(fmt::format("/proc/self/pagemap: short read: {}", short_read()));
    BackingCheck c = judge_kpageflags(kpageflags_fd, before, bytes, hugetlb);
    if (pread_u64s(pagemap_fd, after.data(), n, addr / page) != n)
      return unverified(fmt::format("/proc/self/pagemap: short read: {}", short_read()));
    if (same_pages()) return c;
  }
  return unverified(
      "pages kept moving while being checked (compaction or khugepaged); check again later");
}

}  // namespace zs::backing_detail
