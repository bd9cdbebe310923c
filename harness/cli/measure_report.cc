#include "cli/measure_report.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/units.h"
#include "counters/counter_set.h"
#include "memory/folio_pool.h"
#include "platform/platform.h"
#include "stats/stats.h"
#include "sweep/kernel_strategy.h"

namespace zs::cli {

namespace {
std::string us(double ns) { return std::isnan(ns) ? "-" : fmt::format("{:.1f}", ns / 1000.0); }
}  // namespace

void print_measure_setup(const SweepSession& s, const SweepSettings& set, CacheState cache,
                         Evict evict) {
  utsname u{};
  uname(&u);
  fmt::print("# zeroscope measure on {} ({} {}), cpu {} ({}), node {} ({})\n", u.nodename,
             u.sysname, u.release, s.placement.cpu, s.placement.cpu_source, s.placement.node,
             s.placement.node_source);
  fmt::print("# LLC {} ({}); pool: {}\n", exact_size(s.llc.bytes), s.llc.source,
             s.pools().front()->describe());
  for (const std::string& line : kernel_path_header(s.points())) fmt::print("# {}\n", line);
  fmt::print(
      "# cache {} (evict {}), {} reps after {} warm-up, interleaved (seed {}); times are medians "
      "of "
      "verified huge samples\n",
      to_string(cache), to_string(evict), set.repetitions, set.warmup, set.seed);
  fmt::print("# timing: CLOCK_MONOTONIC + {} per phase; an empty phase reads {:.0f} ns (median)\n",
             platform::timestamp_name().empty() ? "no cycle counter" : platform::timestamp_name(),
             s.timing_overhead.phase_ns);
  const CounterSet* counters = s.counters();
  if (counters == nullptr) {
    fmt::print("# counters: off (--no-counters)\n");
    return;
  }
  fmt::print(
      "# counters: {} file ({}); {}; read path: {}; start/stop overhead {:.0f} ns (median)\n",
      s.events->file.uarch, s.events->why, counters->describe_passes(), counters->read_path(),
      s.counter_overhead.ns);
  // One line per distinct reason: "cycles, instructions: no hardware PMU ...".
  std::vector<std::pair<std::string, std::vector<std::string>>> by_reason;
  for (const MissingMetric& mm : counters->missing()) {
    auto it = std::find_if(by_reason.begin(), by_reason.end(),
                           [&](const auto& e) { return e.first == mm.reason; });
    if (it == by_reason.end())
      by_reason.push_back({mm.reason, {mm.column}});
    else
      it->second.push_back(mm.column);
  }
  for (const auto& [reason, cols] : by_reason)
    fmt::print("# not measured: {}: {}\n", fmt::join(cols, ", "), reason);
  const auto& points = s.points();
  if (!counters->kernel_counting() &&
      std::any_of(points.begin(), points.end(), [](const Point& p) { return p.kernel_fault(); }))
    fmt::print(
        "# {}: its counters are left out: the fault happens in the kernel and kernel-mode counting "
        "is not allowed ({})\n",
        kKernelFault, s.pmu.kernel_why);
}

void print_measure_table(const SweepSession& s, const std::vector<std::vector<SampleRow>>& rows) {
  fmt::print("{:<13} {:<7} {:<7} {:<13} {:>5} {:>9} {:>10} {:>19} {:>10} {:>10}\n", "strategy",
             "prim", "target", "access", "n", "huge", "zero_us", "zero_p5..p95_us", "access_us",
             "fault_us");
  std::vector<double> settle_ns, settle_slow;
  for (std::size_t i = 0; i < s.points().size(); ++i) {
    const Point& p = s.points()[i];
    std::vector<double> zero, access, fault;
    std::size_t samples = 0, huge = 0, unverified = 0;
    for (const SampleRow& r : rows[i]) {
      // One access row per sample; its huge cell is the sample's.
      if (r.phase == "access") {
        ++samples;
        if (!r.huge) ++unverified;
        if (r.huge.value_or(false)) ++huge;
      }
      if (!r.kept()) continue;
      if (r.host_settle_ns && r.host_settle_slow) {
        settle_ns.push_back(double(*r.host_settle_ns));
        settle_slow.push_back(double(*r.host_settle_slow));
      }
      auto& v = r.phase == "zero" ? zero : r.phase == "access" ? access : fault;
      v.push_back(double(r.ns));
    }
    std::string huge_col = fmt::format("{}/{}", huge, samples);
    if (unverified) huge_col += fmt::format("?{}", unverified);
    const std::string spread =
        zero.empty() ? "-"
                     : us(stats::percentile(zero, 0.05)) + ".." + us(stats::percentile(zero, 0.95));
    fmt::print(
        "{:<13} {:<7} {:<7} {:<13} {:>5} {:>9} {:>10} {:>19} {:>10} {:>10}\n", p.strategy.name(),
        s.primitive_name(i).empty() ? "-" : std::string(s.primitive_name(i)), p.target.name(),
        fmt::format("{}/{}", to_string(p.access.pattern), to_string(p.access.op)), samples,
        huge_col, us(stats::percentile(zero, 0.5)), spread, us(stats::percentile(access, 0.5)),
        us(stats::percentile(fault, 0.5)));
  }
  if (!settle_ns.empty())
    fmt::print(
        "# host-reported: before each timed phase zeroscope touched its own pages, which the host "
        "had dropped: {:.0f} pages slow (median, 10 us or more), {:.1f} ms (median); not in the "
        "phases (docs/host-reported.md)\n",
        stats::percentile(settle_slow, 0.5), stats::percentile(settle_ns, 0.5) / 1e6);
}

}  // namespace zs::cli
