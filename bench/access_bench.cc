// zeroscope-bench: each access pattern's sensitivity to where the folio's
// lines are. The same access on a 2 MiB THP folio just written, the
// accessed region last (hot: in cache as far as it fits, as after a
// strategy that clears the target last)
// and just flushed from every level (cold: as after one that clears it
// first). A pattern whose cold time is hardly above its hot time cannot
// tell zeroing strategies apart on this machine. `zeroscope run` measures
// the same at its start for the run's own patterns (meta.json
// access_sensitivity); this is the machine-wide table of all of them.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstring>
#include <memory>
#include <string>

#include "measure/access.h"
#include "measure/phase_meter.h"
#include "memory/mapping.h"
#include "platform/platform.h"

namespace zs::bench {
namespace {

constexpr std::size_t kFolio = std::size_t{2} << 20;

std::byte* folio() {
  static std::unique_ptr<Mapping> map = [] {
    auto m = std::make_unique<Mapping>(Mapping::anonymous(kFolio, kFolio));
    m->advise_huge();
    m->populate();
    return m;
  }();
  return map->data();
}

// Manual time: the write that makes the folio hot and the flush that makes
// it cold stay outside what is timed.
void access(benchmark::State& state, AccessSpec spec, bool hot) {
  if (!hot && platform::flush_name().empty()) {
    state.SkipWithError("no cache flush instruction on this architecture: no cold folio");
    return;
  }
  std::byte* f = folio();
  const AccessPlan plan =
      make_access_plan(spec, kFolio, 4096, 0, platform::cache_line_bytes(), 0x9e3779b97f4a7c15ull);
  AccessPlan rewrite = plan;     // hot: the accessed region written last, as a
  rewrite.op = AccessOp::write;  // strategy clearing it last leaves it (a large
  rewrite.word_index = false;    // memset may bypass the cache)
  PhaseMeter meter;
  std::uint64_t sink = 0;
  for (auto _ : state) {
    std::memset(f, 0x5a, kFolio);
    if (hot) run_access(rewrite, f);
    if (!hot) platform::flush_range(f, kFolio);
    meter.start();
    sink += run_access(plan, f);
    state.SetIterationTime(double(meter.stop().ns) / 1e9);
  }
  benchmark::DoNotOptimize(sink);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * plan.bytes()));
}

const bool registered = [] {
  for (AccessPattern p :
       {AccessPattern::touch, AccessPattern::page, AccessPattern::neighbourhood,
        AccessPattern::stream, AccessPattern::folio, AccessPattern::random, AccessPattern::usemem})
    for (AccessOp op : {AccessOp::write, AccessOp::read})
      for (bool hot : {true, false}) {
        const AccessSpec spec{p, op, 64};
        const std::string name =
            fmt::format("access/{}/2MiB-target-first/{}", access_name(spec), hot ? "hot" : "cold");
        benchmark::RegisterBenchmark(name.c_str(),
                                     [spec, hot](benchmark::State& s) { access(s, spec, hot); })
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond)
            ->Iterations(200)
            ->Repetitions(3)
            ->ReportAggregatesOnly(true);
      }
  return true;
}();

}  // namespace
}  // namespace zs::bench
