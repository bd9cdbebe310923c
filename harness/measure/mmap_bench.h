// The demand-fault bandwidth benchmark that kernel patch cover letters
// quote, `perf bench mem mmap` (tools/perf/bench/mem-functions.c), with the
// backing verified: per loop, mmap the region, write one byte in every page,
// and time both together; munmap is outside the timing. Rates are perf's
// "GB/sec", which is GiB (2^30 bytes) per second.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace zs {

enum class MmapBacking {
  base,     // 4 KiB pages, MADV_NOHUGEPAGE so THP cannot step in
  hugetlb,  // MAP_HUGETLB | MAP_HUGE_2MB / MAP_HUGE_1GB
  thp,      // anonymous, 2 MiB-aligned, MADV_HUGEPAGE
};
enum class MmapFault { demand, populate };
enum class MmapOffset { first, random, fixed };

struct MmapBenchConfig {
  std::uint64_t page_bytes = 4096;
  MmapBacking backing = MmapBacking::base;
  MmapFault fault = MmapFault::demand;
  std::uint64_t size_bytes = 1ull << 30;  // a positive multiple of page_bytes
  std::uint64_t loops = 1;
  MmapOffset offset = MmapOffset::first;
  std::uint64_t offset_bytes = 0;  // MmapOffset::fixed: < page_bytes
  std::uint64_t seed = 1;          // MmapOffset::random
  // Loops run exactly like the others but neither printed nor summarised.
  // perf has none (default 0); on a VM whose freed memory goes back to the
  // host (virtio-balloon free page reporting), the first loop after a pause
  // pays host faults and can be several times slower than the rest.
  std::uint64_t warmup = 0;
};

struct MmapLoopResult {
  std::uint64_t ns = 0;  // mmap + touching every page
  // THP backing: pages of this loop that /proc/self/smaps shows as
  // PMD-mapped THP (AnonHugePages); nullopt when it could not tell.
  std::optional<std::uint64_t> thp_pages;
};

// perf's rate: bytes / seconds / 2^30. nullopt when no time was measured.
std::optional<double> gib_per_sec(std::uint64_t bytes, std::uint64_t ns);
std::uint64_t touched_bytes(std::uint64_t pages, std::uint64_t page_bytes, std::uint64_t loops);

// Mean and sample standard deviation (two-pass) relative to the mean;
// rel_stddev is nullopt below two samples or for a zero mean.
struct MeanSpread {
  double mean = 0;
  std::optional<double> rel_stddev;
};
MeanSpread mean_rel_stddev(const std::vector<double>& xs);

// Checks, before anything is printed or measured, that the kernel does what
// the config needs (MAP_HUGETLB of the whole size, MADV_HUGEPAGE,
// MADV_POPULATE_WRITE); throws SetupError naming the cause and the fix.
void probe_mmap_bench(const MmapBenchConfig& cfg);

// Runs cfg.loops loops; `on_loop` sees each result after its timing, before
// the next loop. Throws std::runtime_error when a mapping fails mid-run.
std::vector<MmapLoopResult> run_mmap_bench(
    const MmapBenchConfig& cfg, const std::function<void(const MmapLoopResult&)>& on_loop);

}  // namespace zs
