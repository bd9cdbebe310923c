// zeroscope-bench: the zeroing throughput of every primitive this CPU can run,
// at extents from one base page to 1 GiB, into pre-faulted huge-page-backed
// memory, so that what is timed is the stores and nothing of the page faults.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sched.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "memory/mapping.h"
#include "primitives/registry.h"

namespace zs::bench {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

struct Extent {
  const char* label;
  std::size_t bytes;
  // Fixed iteration count, 0 = let Google Benchmark choose. One 1 GiB pass
  // takes tens of milliseconds on a fast machine and up to a few hundred on a
  // slow one: a fixed count bounds the run wherever it happens, and ignores a
  // large --benchmark_min_time that would multiply it by the primitives.
  benchmark::IterationCount iterations = 0;
};

constexpr Extent kExtents[] = {
    {"4KiB", std::size_t{4} << 10},     {"64KiB", std::size_t{64} << 10},
    {"2MiB", std::size_t{2} << 20},     {"32MiB", std::size_t{32} << 20},
    {"1GiB", std::size_t{1} << 30, 10},
};

// The buffer for one extent: created on first use (outside the timed loop),
// shared by every primitive of that extent, unmapped at exit. Never smaller
// than a huge page, so even the 4 KiB extent sits in a huge page as in a
// real huge-folio clear.
struct Buffer {
  zs::Mapping map;
  long long huge_bytes = -1;  // AnonHugePages of the buffer, -1 = unreadable
};

Buffer& buffer(const Extent& e) {
  static std::map<std::size_t, std::unique_ptr<Buffer>> buffers;
  auto& slot = buffers[e.bytes];
  if (slot) return *slot;
  auto b = std::make_unique<Buffer>();
  b->map = zs::Mapping::anonymous(std::max(e.bytes, kHugePage), kHugePage);
  bool advised = b->map.advise_huge();
  // Fault it in now, so the timed loop never pays for a page fault.
  b->map.populate();
  b->huge_bytes = b->map.anon_huge_bytes();
  if (b->huge_bytes < 0)
    fmt::print(stderr,
               "zeroscope-bench: {} buffer: /proc/self/smaps unreadable, THP backing unknown\n",
               e.label);
  else if (b->huge_bytes != static_cast<long long>(b->map.size()))
    fmt::print(stderr,
               "zeroscope-bench: warning: the {} buffer is {}% THP-backed{}; its numbers include "
               "base-page TLB cost\n",
               e.label, b->huge_bytes * 100 / static_cast<long long>(b->map.size()),
               advised ? "" : " (MADV_HUGEPAGE refused)");
  slot = std::move(b);
  return *slot;
}

void zero(benchmark::State& state, zs_zero_fn fn, const Extent& e) {
  Buffer* buf = nullptr;
  try {
    buf = &buffer(e);
  } catch (const std::exception& ex) {
    state.SkipWithError(ex.what());
    return;
  }
  std::byte* dst = buf->map.data();
  for (auto _ : state) {
    fn(dst, e.bytes);
    // The stores must be performed, not elided as dead: nothing reads them.
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(e.bytes));
  state.counters["GB/s"] = benchmark::Counter(static_cast<double>(e.bytes) / 1e9,
                                              benchmark::Counter::kIsIterationInvariantRate);
  // The fraction of the buffer backed by huge pages (1 = all): a 4 KiB
  // fallback must not pass for a huge page. Absent when it could not be read.
  if (buf->huge_bytes >= 0)
    state.counters["thp"] =
        static_cast<double>(buf->huge_bytes) / static_cast<double>(buf->map.size());
}

// Migration to another CPU mid-run would mix two CPUs' caches and clocks into
// one number; stay where we started. Returns the CPU for the context.
std::string pin_to_current_cpu() {
  int cpu = sched_getcpu();
  if (cpu < 0) return fmt::format("unknown (sched_getcpu: {})", std::strerror(errno));
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    std::string why = std::strerror(errno);
    fmt::print(stderr, "zeroscope-bench: warning: cannot pin to CPU {}: {}\n", cpu, why);
    return fmt::format("{} (not pinned: {})", cpu, why);
  }
  return std::to_string(cpu);
}

}  // namespace
}  // namespace zs::bench

int main(int argc, char** argv) {
  using namespace zs::bench;
  // Before anything else, so the benchmark thread never runs elsewhere.
  benchmark::AddCustomContext("cpu", pin_to_current_cpu());

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  const auto& registry = zs::PrimitiveRegistry::get();
  benchmark::AddCustomContext("kernel_primitive", std::string(registry.kernel().name()));

  for (const zs::Primitive& p : registry.all()) {
    if (!p.available) {
      fmt::print(stderr, "zeroscope-bench: skipping {}: {}\n", p.name(), p.why);
      benchmark::AddCustomContext(fmt::format("{}_unavailable", p.name()), p.why);
      continue;
    }
    for (std::size_t i = 0; i < std::size(kExtents); ++i) {
      const Extent& e = kExtents[i];
      // Every buffer is huge-page aligned; only the size can violate a
      // primitive's contract, and only with an exotic run-time granule.
      if (p.granule == 0 || e.bytes % p.granule != 0 || p.align > kHugePage) {
        fmt::print(stderr, "zeroscope-bench: skipping {} at {}: needs align {} and granule {}\n",
                   p.name(), e.label, p.align, p.granule);
        continue;
      }
      std::string family = fmt::format("zero/{}/{}", p.name(), e.label);
      auto* b = benchmark::RegisterBenchmark(
          family.c_str(), [fn = p.fn(), &e](benchmark::State& state) { zero(state, fn, e); });
      b->UseRealTime()->Unit(benchmark::kMicrosecond);
      if (e.iterations) b->Iterations(e.iterations);
    }
  }

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
