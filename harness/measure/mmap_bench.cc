#include "measure/mmap_bench.h"

#include <sys/mman.h>
#include <time.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/errors.h"
#include "common/linux_compat.h"
#include "common/units.h"
#include "memory/smaps.h"

namespace zs {
namespace {

// What mmap handed out, unmapped whatever way the loop ends.
struct Region {
  void* addr = MAP_FAILED;
  std::size_t len = 0;
  Region() = default;
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;
  ~Region() {
    if (addr != MAP_FAILED) ::munmap(addr, len);
  }
};

int log2_of(std::uint64_t v) { return 63 - __builtin_clzll(v); }

int hugetlb_flags(std::uint64_t page_bytes) {
  return MAP_HUGETLB | (log2_of(page_bytes) << MAP_HUGE_SHIFT);
}

[[noreturn]] void fail(const char* what, std::uint64_t bytes, std::uint64_t loop) {
  throw std::runtime_error(fmt::format("{} of {} bytes failed in loop {} ({})", what, bytes,
                                       loop + 1, std::strerror(errno)));
}

// The timed part of one loop: everything a program pays to get the memory
// mapped as asked. Alignment trimming and advice are inside, as they would
// be for any program that wants THP.
inline void map_region(const MmapBenchConfig& c, Region& r, std::uint64_t loop) {
  const std::size_t size = c.size_bytes;
  const int prot = PROT_READ | PROT_WRITE;
  const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
  switch (c.backing) {
    case MmapBacking::hugetlb: {
      int flags =
          anon | hugetlb_flags(c.page_bytes) | (c.fault == MmapFault::populate ? MAP_POPULATE : 0);
      r.addr = ::mmap(nullptr, size, prot, flags, -1, 0);
      r.len = size;
      if (r.addr == MAP_FAILED) fail("mmap(MAP_HUGETLB)", size, loop);
      return;
    }
    case MmapBacking::base: {
      r.addr = ::mmap(nullptr, size, prot, anon, -1, 0);
      r.len = size;
      if (r.addr == MAP_FAILED) fail("mmap", size, loop);
      if (::madvise(r.addr, size, MADV_NOHUGEPAGE) != 0)
        fail("madvise(MADV_NOHUGEPAGE)", size, loop);
      break;
    }
    case MmapBacking::thp: {
      const std::size_t align = c.page_bytes;
      void* raw = ::mmap(nullptr, size + align, prot, anon, -1, 0);
      if (raw == MAP_FAILED) fail("mmap", size + align, loop);
      auto lo = reinterpret_cast<std::uintptr_t>(raw);
      auto start = (lo + align - 1) & ~(static_cast<std::uintptr_t>(align) - 1);
      if (start > lo) ::munmap(raw, start - lo);
      if (std::size_t tail = lo + size + align - (start + size))
        ::munmap(reinterpret_cast<void*>(start + size), tail);
      r.addr = reinterpret_cast<void*>(start);
      r.len = size;
      if (::madvise(r.addr, size, MADV_HUGEPAGE) != 0) fail("madvise(MADV_HUGEPAGE)", size, loop);
      break;
    }
  }
  // MAP_POPULATE would fault before the advice above is in place.
  if (c.fault == MmapFault::populate && ::madvise(r.addr, size, MADV_POPULATE_WRITE) != 0)
    fail("madvise(MADV_POPULATE_WRITE)", size, loop);
}

// splitmix64: a fixed, documented sequence per seed, cheap enough to run
// inside the timing (perf calls rand() there).
inline std::uint64_t next_random(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// One write per page: a write, not perf's read-modify-write, so an anonymous
// mapping never maps the (huge) zero page first and is then copied on write.
inline void touch_pages(const MmapBenchConfig& c, char* base, std::uint64_t& rng) {
  const std::uint64_t n = c.size_bytes / c.page_bytes, page = c.page_bytes;
  if (c.offset == MmapOffset::random) {
    for (std::uint64_t i = 0; i < n; ++i)
      *reinterpret_cast<volatile char*>(base + i * page + (next_random(rng) & (page - 1))) = 1;
    return;
  }
  char* p = base + (c.offset == MmapOffset::fixed ? c.offset_bytes : 0);
  for (std::uint64_t i = 0; i < n; ++i) *reinterpret_cast<volatile char*>(p + i * page) = 1;
}

}  // namespace

std::optional<double> gib_per_sec(std::uint64_t bytes, std::uint64_t ns) {
  if (ns == 0) return std::nullopt;
  return static_cast<double>(bytes) / (static_cast<double>(ns) / 1e9) /
         static_cast<double>(1ull << 30);
}

std::uint64_t touched_bytes(std::uint64_t pages, std::uint64_t page_bytes, std::uint64_t loops) {
  return pages * page_bytes * loops;
}

MeanSpread mean_rel_stddev(const std::vector<double>& xs) {
  MeanSpread m;
  if (xs.empty()) return m;
  double sum = 0;
  for (double x : xs) sum += x;
  m.mean = sum / static_cast<double>(xs.size());
  if (xs.size() < 2 || m.mean == 0) return m;
  double sq = 0;
  for (double x : xs) sq += (x - m.mean) * (x - m.mean);
  m.rel_stddev = std::sqrt(sq / static_cast<double>(xs.size() - 1)) / m.mean;
  return m;
}

void probe_mmap_bench(const MmapBenchConfig& c) {
  const int prot = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
  if (c.backing == MmapBacking::hugetlb) {
    // Without MAP_NORESERVE the kernel reserves every page at mmap time, so a
    // mapping of the whole size proves the run cannot hit SIGBUS later.
    void* p = ::mmap(nullptr, c.size_bytes, prot, anon | hugetlb_flags(c.page_bytes), -1, 0);
    if (p == MAP_FAILED)
      throw SetupError(
          fmt::format("hugetlb {}: mmap(MAP_HUGETLB) of {} fails ({}) although the pool has the "
                      "pages; check the hugetlb cgroup limit (hugetlb.{}.max) and "
                      "/proc/meminfo HugePages_Rsvd",
                      exact_size(c.page_bytes), exact_size(c.size_bytes), std::strerror(errno),
                      compact_size(c.page_bytes)));
    ::munmap(p, c.size_bytes);
    return;
  }
  const std::size_t len = c.backing == MmapBacking::thp ? c.page_bytes : 4096;
  Region r;
  r.addr = ::mmap(nullptr, len, prot, anon, -1, 0);
  r.len = len;
  if (r.addr == MAP_FAILED)
    throw SetupError(fmt::format("mmap of {} fails ({}); check ulimit -v", exact_size(len),
                                 std::strerror(errno)));
  if (c.backing == MmapBacking::thp && ::madvise(r.addr, len, MADV_HUGEPAGE) != 0)
    throw SetupError(
        fmt::format("madvise(MADV_HUGEPAGE) fails ({}); this kernel lacks THP for anonymous "
                    "memory; use {} hugetlb",
                    std::strerror(errno), option_ref(Option::backing)));
  if (c.fault == MmapFault::populate && ::madvise(r.addr, len, MADV_POPULATE_WRITE) != 0)
    throw SetupError(
        fmt::format("{0} populate: madvise(MADV_POPULATE_WRITE) fails ({1}); it needs Linux "
                    "5.14 or later; use {0} demand",
                    option_ref(Option::fault), std::strerror(errno)));
}

std::vector<MmapLoopResult> run_mmap_bench(
    const MmapBenchConfig& c, const std::function<void(const MmapLoopResult&)>& on_loop) {
  std::vector<MmapLoopResult> results;
  results.reserve(c.loops);
  std::uint64_t rng = c.seed;
  for (std::uint64_t w = 0; w < c.warmup; ++w) {
    Region r;
    map_region(c, r, w);
    touch_pages(c, static_cast<char*>(r.addr), rng);
  }
  for (std::uint64_t loop = 0; loop < c.loops; ++loop) {
    MmapLoopResult res;
    {
      Region r;
      const std::uint64_t t0 = monotonic_ns();
      map_region(c, r, loop);
      touch_pages(c, static_cast<char*>(r.addr), rng);
      const std::uint64_t t1 = monotonic_ns();
      res.ns = t1 - t0;
      if (c.backing == MmapBacking::thp) {
        auto lo = reinterpret_cast<std::uintptr_t>(r.addr);
        SmapsHuge s = smaps_anon_huge(lo, lo + r.len);
        if (s.readable && s.exact) res.thp_pages = s.anon_huge_bytes / c.page_bytes;
      }
    }  // munmap here, outside the timing
    results.push_back(res);
    if (on_loop) on_loop(res);
  }
  return results;
}

}  // namespace zs
