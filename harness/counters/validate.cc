#include "counters/validate.h"

#include <sys/mman.h>
#include <time.h>

#include <cmath>
#include <cstring>
#include <functional>

#include <fmt/format.h>

#include "counters/counter_set.h"
#include "measure/phase_meter.h"
#include "memory/mapping.h"
#include "platform/platform.h"

namespace zs {

namespace {

struct Check {
  std::string name;
  std::function<void()> run;
  std::function<double(const PhaseReading&)> expected;
  double lo,
      hi;  // accepted ratio measured / expected; for an expected 0, `hi` bounds the count per line
};

double ratio_verdict(double measured, double expected, double lo, double hi, std::string& verdict,
                     std::string& note) {
  if (expected <= 0) {
    verdict = measured <= hi ? "validated" : "suspicious";
    note = fmt::format("{:.0f} counted, at most {:.0f} accepted", measured, hi);
    return 0;
  }
  const double r = measured / expected;
  verdict = r >= lo && r <= hi ? "validated" : "suspicious";
  note = fmt::format("ratio {:.3f}, accepted [{:.2f}, {:.2f}]", r, lo, hi);
  return r;
}

}  // namespace

std::vector<Validation> validate_events(const EventFile& events, const PmuAccess& access,
                                        std::uint64_t llc_bytes) {
  const std::size_t line = platform::cache_line_bytes();
  const std::size_t big = static_cast<std::size_t>(4 * llc_bytes);
  const std::uint64_t loop_iters = 50'000'000;
  std::optional<Mapping> stream;  // made on first use: 4x the LLC
  auto stream_buffer = [&]() -> Mapping& {
    if (!stream) {
      stream = Mapping::anonymous(big, 2u << 20);
      stream->advise_huge();
      stream->populate();
    }
    return *stream;
  };
  std::vector<std::byte> page(4096);

  // Each metric's check: the workload, its expected count, the accepted band.
  auto checks_for = [&](const std::string& metric) -> std::vector<Check> {
    const double lines = double(big / line);
    auto stores = [&] { std::memset(stream_buffer().data(), 0x11, big); };
    auto resident = [&] {
      for (int rep = 0; rep < 2000; ++rep) {
        std::memset(page.data(), rep, page.size());
        asm volatile("" ::: "memory");
      }
    };
    auto none = [](const PhaseReading&) { return 0.0; };
    if (metric == "instructions")
      return {{"known loop of 2x50M instructions",
               [&] { platform::known_instruction_loop(loop_iters); },
               [&](const PhaseReading&) {
                 return double(loop_iters * platform::kKnownLoopInstructionsPerIteration);
               },
               0.98, 1.05}};
    if (metric == "cycles" || metric == "ref_cycles")
      return {{"50M-iteration loop, against TSC ticks",
               [&] { platform::known_instruction_loop(loop_iters); },
               [](const PhaseReading& r) { return double(r.tsc); }, 0.2, 5.0}};
    if (metric == "llc_misses" || metric == "llc_store_misses" || metric == "llc_references" ||
        metric == "l2_misses")
      return {{fmt::format("streaming stores over {} MiB (4x LLC): ~1 per line", big >> 20), stores,
               [lines](const PhaseReading&) { return lines; }, 0.5, 2.0},
              {"stores into one resident page: ~0", resident, none, 0, 0.01 * 2000 * 64}};
    if (metric == "llc_load_misses" || metric == "dtlb_load_misses")
      return {{"stores into one resident page: ~0", resident, none, 0, 0.01 * 2000 * 64}};
    if (metric == "page_faults")
      return {{"memset over 2 MiB of fresh 4 KiB pages: 512",
               [&] {
                 void* p = mmap(nullptr, 2u << 20, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                 madvise(p, 2u << 20, MADV_NOHUGEPAGE);
                 std::memset(p, 1, 2u << 20);
                 munmap(p, 2u << 20);
               },
               [](const PhaseReading&) { return 512.0; }, 0.97, 1.03}};
    if (metric == "task_clock")
      return {{"busy loop, against CLOCK_MONOTONIC",
               [&] { platform::known_instruction_loop(loop_iters); },
               [](const PhaseReading& r) { return double(r.ns); }, 0.9, 1.05}};
    if (metric == "context_switches")
      return {{"short busy loop: ~0", [&] { platform::known_instruction_loop(loop_iters / 50); },
               none, 0, 2}};
    return {};
  };

  std::vector<Validation> out;
  for (const MetricDef& m : events.metrics) {
    CounterSet set(events, access, {{m.metric}, true});
    std::size_t col = SIZE_MAX;
    for (std::size_t i = 0; i < set.columns().size(); ++i)
      if (set.columns()[i].name == m.metric) col = i;
    auto checks = checks_for(m.metric);
    if (col == SIZE_MAX) {
      std::string why = "not counted";
      for (const MissingMetric& mm : set.missing())
        if (mm.column == m.metric) why = mm.reason;
      out.push_back({m.metric, checks.empty() ? "-" : checks.front().name, std::nullopt,
                     std::nullopt, "unavailable", why});
      continue;
    }
    if (checks.empty()) {
      out.push_back({m.metric, "-", std::nullopt, std::nullopt, "unavailable",
                     "no known-answer check for this metric"});
      continue;
    }
    for (const Check& c : checks) {
      PhaseMeter meter(&set);
      c.run();  // once untimed: faults, caches and frequency settle
      meter.start();
      c.run();
      PhaseReading r = meter.stop();
      Validation v{m.metric, c.name, c.expected(r), std::nullopt, "", ""};
      if (!r.counters.has(col) || r.counters.multiplexed) {
        v.verdict = "unavailable";
        v.note = r.counters.multiplexed ? "the group was multiplexed: rerun with fewer events"
                                        : "no count read";
      } else {
        v.measured = double(r.counters.value[col]);
        ratio_verdict(*v.measured, *v.expected, c.lo, c.hi, v.verdict, v.note);
      }
      out.push_back(v);
    }
  }
  return out;
}

}  // namespace zs
