#include "memory/backing.h"

#include <fcntl.h>
#include <linux/kernel-page-flags.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/parse.h"
#include "machine/sysfs.h"

namespace zs {
namespace {

// Documentation/admin-guide/mm/pagemap.rst. Bits 55-62 (soft-dirty,
// exclusive, uffd-wp, guard, file, swap) are not needed here, except that
// bit 62 tells a swapped-out page from one never faulted in.
constexpr std::uint64_t kPmPresent = 1ull << 63;
constexpr std::uint64_t kPmSwapped = 1ull << 62;
constexpr std::uint64_t kPmPfnMask = (1ull << 55) - 1;

constexpr std::uint64_t bit(int kpf) { return 1ull << kpf; }

// The fds are owned by BackingVerifier, whose layout the header fixes; this
// owner only covers the window between open() and handing them over, so a
// constructor that gives up half-way leaks nothing.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

std::size_t base_page() { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }

std::string size_text(std::uint64_t bytes) {
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0) return fmt::format("{} GiB", bytes >> 30);
  if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

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

// After pread_u64s came back short: the error, or the end of the file.
std::string short_read() { return errno != 0 ? std::strerror(errno) : "end of file"; }

BackingCheck unverified(std::string why) { return {false, false, std::move(why)}; }
BackingCheck not_huge(std::string why) { return {true, false, std::move(why)}; }

// ---- kpageflags --------------------------------------------------------

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
                    size_text(base_page())));
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
  return {true, true, fmt::format("one {} {} folio at pfn {:#x}", size_text(bytes), kind, pfn[0])};
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

// ---- smaps -------------------------------------------------------------

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
  return fmt::format("VMA {:#x}-{:#x} ({})", v.start, v.end, size_text(v.end - v.start));
}

std::uint64_t thp_pmd_size() {
  return sysfs::read_u64("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size").value_or(0);
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
        fmt::format("hugetlb page size is {}: the range holds several folios", size_text(kps)));
  if (kps > bytes)
    return not_huge(
        fmt::format("hugetlb page size is {}: the range is inside a larger folio", size_text(kps)));
  // A hugetlb VMA starts on a page boundary of its size, so an offset into it
  // that is not a multiple straddles two pages.
  if ((addr - v.start) % kps != 0)
    return not_huge(fmt::format("range not aligned to the {} hugetlb page: it straddles two folios",
                                size_text(kps)));
  const std::uint64_t mapped = v.hugetlb_kb * 1024;
  if (mapped == 0) return not_huge(fmt::format("{}: no hugetlb page faulted in yet", vma_text(v)));
  if (mapped >= vma_bytes)
    return {true, true,
            fmt::format("hugetlb {} page, {} fully faulted in", size_text(kps), vma_text(v))};
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
  const std::uint64_t pmd = thp_pmd_size();
  if (pmd == 0) return unverified("THP is not built into this kernel (no hpage_pmd_size)");
  if (bytes != pmd)
    return unverified(fmt::format(
        "smaps cannot see mTHP: AnonHugePages counts only PMD-mapped {} folios, not {}; "
        "kpageflags (root) can tell",
        size_text(pmd), size_text(bytes)));
  if (v.has_flag("ht")) return not_huge(fmt::format("{} is hugetlb, not THP", vma_text(v)));
  if (addr % pmd != 0)
    return unverified(fmt::format(
        "range not {}-aligned: it cannot be PMD-mapped, and smaps sees only PMD mappings",
        size_text(pmd)));
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

BackingCheck check_smaps(std::uintptr_t addr, std::uint64_t bytes, bool hugetlb) {
  auto v = find_vma(addr);
  if (!v) return not_huge(fmt::format("address {:#x} is not mapped", addr));
  if (addr + bytes > v->end)
    return unverified(fmt::format("range crosses the end of {}: smaps is per VMA", vma_text(*v)));
  return hugetlb ? judge_smaps_hugetlb(*v, addr, bytes) : judge_smaps_thp(*v, addr, bytes);
}

}  // namespace

const char* to_string(BackingMethod m) {
  switch (m) {
    case BackingMethod::kpageflags:
      return "kpageflags";
    case BackingMethod::smaps:
      return "smaps";
    case BackingMethod::none:
      return "none";
  }
  return "none";
}

BackingVerifier::BackingVerifier(bool allow_kpageflags) {
  if (allow_kpageflags) {
    UniqueFd pagemap(::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC));
    UniqueFd kpageflags(::open("/proc/kpageflags", O_RDONLY | O_CLOEXEC));
    if (pagemap.get() >= 0 && kpageflags.get() >= 0 && pfns_visible(pagemap.get())) {
      pagemap_fd_ = pagemap.release();
      kpageflags_fd_ = kpageflags.release();
      method_ = BackingMethod::kpageflags;
      return;
    }
  }
  if (::access("/proc/self/smaps", R_OK) == 0) method_ = BackingMethod::smaps;
}

BackingVerifier::~BackingVerifier() {
  if (pagemap_fd_ >= 0) ::close(pagemap_fd_);
  if (kpageflags_fd_ >= 0) ::close(kpageflags_fd_);
}

BackingCheck BackingVerifier::check_folio(const void* addr, std::size_t bytes, bool hugetlb) const {
  if (method_ == BackingMethod::none)
    return unverified(
        "no method: /proc/kpageflags needs CAP_SYS_ADMIN and /proc/self/smaps is unreadable");
  const std::size_t page = base_page();
  const auto a = reinterpret_cast<std::uintptr_t>(addr);
  const std::size_t n = bytes / page;
  // A folio is 2^order base pages, never anything else.
  if (bytes == 0 || bytes % page != 0 || (n & (n - 1)) != 0)
    return not_huge(
        fmt::format("{} bytes is not a folio size (a power-of-two number of pages)", bytes));
  if (a % page != 0) return not_huge(fmt::format("address {:#x} is not page-aligned", a));
  if (method_ == BackingMethod::kpageflags)
    return check_kpageflags(pagemap_fd_, kpageflags_fd_, a, bytes, hugetlb);
  return check_smaps(a, bytes, hugetlb);
}

std::optional<ThpFaultCounters> read_thp_fault_counters() {
  // Only PMD-sized faults: mTHP sizes count in
  // /sys/kernel/mm/transparent_hugepage/hugepages-<kB>kB/stats/anon_fault_*.
  std::ifstream vmstat("/proc/vmstat");
  std::string name, value;
  std::optional<std::uint64_t> alloc, fallback;
  while (vmstat >> name >> value) {
    if (name == "thp_fault_alloc")
      alloc = parse_u64(value);
    else if (name == "thp_fault_fallback")
      fallback = parse_u64(value);
  }
  if (!alloc || !fallback) return std::nullopt;
  return ThpFaultCounters{*alloc, *fallback};
}

}  // namespace zs
