// zeroscope measure: the fault experiment for a small set of points from
// the command line (one backing and folio size; lists of strategies,
// primitives, targets and access patterns), repetitions interleaved in a
// seeded random order, a table of medians, raw samples optionally as CSV.
// Config-file sweeps with durable results are `zeroscope run`.
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "cli/usage.h"
#include "platform/platform.h"
#include "counters/counters.h"
#include "common/errors.h"
#include "counters/event_selection.h"
#include "measure/experiment.h"
#include "common/parse.h"
#include "machine/placement.h"
#include "stats/quantiles.h"
#include "memory/setting_guard.h"

namespace zs::cli {

namespace {

struct MeasureArgs {
  std::string backing = "thp", folio_size = "2MB";
  std::string strategy = "sequential,left-right,three-region,extent,kernel-fault";
  std::string primitive = "kernel", target = "first,middle,last", access = "page", op = "write";
  std::string cache = "cold", evict = "pool", width, batch, reps = "20", warmup = "2", cpu, node,
              seed = "1", llc_size, pool, csv, random_lines = "64";
  std::string metrics, events;
  bool reserve_hugetlb = false, enable_mthp = false, no_counters = false;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

struct Row {
  Point point;
  std::string primitive;  // real name
  std::vector<Sample> samples;
};

// The counters columns of the CSV; empty when a value was not counted.
std::string counter_cells(const CounterSet* set, const std::optional<PhaseReading>& p) {
  std::string s;
  if (set == nullptr) return s;
  for (std::size_t c = 0; c < set->columns().size(); ++c) {
    s += ",";
    if (!p || !p->counters.has(c)) continue;
    const double scale = set->columns()[c].scale;
    s += scale == 1.0 ? std::to_string(p->counters.value[c]) : fmt::format("{:.9g}", double(p->counters.value[c]) * scale);
  }
  // Metrics that could not be counted keep their column, always empty.
  s += std::string(set->missing().size(), ',');
  s += "," + std::string(p && p->counters.valid ? (p->counters.multiplexed ? "1" : "0") : "");
  s += "," + (p && set->passes() > 1 ? std::to_string(p->counters.pass) : std::string());
  return s;
}

std::string us(double ns) { return std::isnan(ns) ? "-" : fmt::format("{:.1f}", ns / 1000.0); }

void print_table(const std::vector<Row>& rows) {
  fmt::print("{:<13} {:<7} {:<7} {:<13} {:>5} {:>9} {:>10} {:>19} {:>10} {:>10}\n", "strategy", "prim",
             "target", "access", "n", "huge", "zero_us", "zero_p5..p95_us", "access_us", "fault_us");
  for (const Row& r : rows) {
    std::vector<double> zero, access, fault;
    std::size_t huge = 0, unverified = 0;
    for (const Sample& s : r.samples) {
      if (!s.backing.verified) ++unverified;
      if (s.backing.verified && s.backing.huge) ++huge;
      // A sample that was not a verified huge folio is counted, never
      // summarised as huge; the base-page control is summarised as what it is.
      if (r.point.backing != Backing::base && !(s.backing.verified && s.backing.huge)) continue;
      if (s.zero) zero.push_back(double(s.zero->ns));
      if (s.access) access.push_back(double(s.access->ns));
      if (s.fault) fault.push_back(double(s.fault->ns));
    }
    std::string huge_col = fmt::format("{}/{}", huge, r.samples.size());
    if (unverified) huge_col += fmt::format("?{}", unverified);
    std::string spread = zero.empty() ? "-" : us(quantile(zero, 0.05)) + ".." + us(quantile(zero, 0.95));
    fmt::print("{:<13} {:<7} {:<7} {:<13} {:>5} {:>9} {:>10} {:>19} {:>10} {:>10}\n", r.point.strategy,
               r.point.kernel_fault() ? "-" : r.primitive, r.point.target.name(),
               fmt::format("{}/{}", to_string(r.point.access.pattern), to_string(r.point.access.op)),
               r.samples.size(), huge_col, us(quantile(zero, 0.5)), spread, us(quantile(access, 0.5)),
               us(quantile(fault, 0.5)));
  }
}

void write_csv(const std::string& path, const std::vector<Row>& rows, const CounterSet* set) {
  std::string tmp = path + ".tmp";
  std::ofstream out(tmp);
  if (!out) throw SetupError(fmt::format("--csv: cannot write {}", path));
  out << "backing,folio_size,strategy,primitive,target,access,op,cache,batch,width,rep,phase,ns,tsc,huge";
  if (set != nullptr) {
    for (const CounterColumn& c : set->columns()) out << "," << c.name;
    for (const MissingMetric& m : set->missing()) out << "," << m.column;
    out << ",multiplexed,pass";
  }
  out << "\n";
  for (const Row& r : rows)
    for (const Sample& s : r.samples) {
      auto line = [&](const char* phase, const std::optional<PhaseReading>& p) {
        if (!p) return;
        const Point& pt = r.point;
        out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", to_string(pt.backing), pt.folio_bytes,
                           pt.strategy, pt.kernel_fault() ? "" : r.primitive, s.target_page,
                           to_string(pt.access.pattern), to_string(pt.access.op), to_string(pt.cache), pt.batch,
                           pt.width, s.rep, phase, p->ns, p->tsc,
                           s.backing.verified ? (s.backing.huge ? "1" : "0") : "")
            << counter_cells(set, p) << "\n";
      };
      line("zero", s.zero);
      line("fault", s.fault);
      line("access", s.access);
    }
  out.close();
  if (!out || std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error(fmt::format("--csv: writing {} failed", path));
}

int run_measure(const MeasureArgs& a) {
  for (const std::string& line : recover_leftover_settings()) fmt::print(stderr, "zeroscope: {}\n", line);

  auto backing = parse_backing(a.backing);
  if (!backing) throw UsageError(fmt::format("--backing: unknown '{}'; allowed: thp, mthp, hugetlb, base", a.backing));
  auto folio = parse_size(a.folio_size);
  if (!folio || *folio == 0) throw UsageError(fmt::format("--folio-size: '{}' is not a size; allowed: e.g. 2MB, 64KB, 1GB", a.folio_size));
  auto op = parse_access_op(a.op);
  if (!op) throw UsageError(fmt::format("--op: unknown '{}'; allowed: read, write", a.op));
  auto cache = parse_cache_state(a.cache);
  if (!cache) throw UsageError(fmt::format("--cache: unknown '{}'; allowed: cold, warm", a.cache));
  auto evict = parse_evict(a.evict);
  if (!evict) throw UsageError(fmt::format("--evict: unknown '{}'; allowed: pool, clflush", a.evict));
  const std::uint64_t reps = flag_u64("--reps", a.reps, 1, 1000000, "an integer >= 1");
  const std::uint64_t warmup = flag_u64("--warmup", a.warmup, 0, 1000000, "an integer >= 0");
  const std::uint64_t seed = flag_u64("--seed", a.seed, 0, UINT64_MAX, "an integer >= 0");
  const auto random_lines = flag_u64("--random-lines", a.random_lines, 1, 1u << 24, "an integer >= 1");
  std::optional<std::uint64_t> llc;
  if (!a.llc_size.empty()) {
    llc = parse_size(a.llc_size);
    if (!llc || *llc == 0) throw UsageError(fmt::format("--llc-size: '{}' is not a size; allowed: e.g. 32MiB", a.llc_size));
  }

  // The points, validated before anything is mapped or changed.
  std::vector<Point> points;
  for (const auto& st : split(a.strategy))
    for (const auto& pr : split(a.primitive))
      for (const auto& tg : split(a.target))
        for (const auto& ac : split(a.access)) {
          Point p;
          p.backing = *backing;
          p.folio_bytes = *folio;
          p.strategy = st;
          p.primitive = pr;
          auto t = TargetSpec::parse(tg);
          if (!t) throw UsageError(fmt::format("--target: '{}' is not a target; allowed: first, middle, last, random, a page index, offset:BYTES", tg));
          p.target = *t;
          auto pat = parse_access_pattern(ac);
          if (!pat) throw UsageError(fmt::format("--access: unknown '{}'; allowed: {}", ac, access_pattern_names()));
          p.access = AccessSpec{*pat, *op, static_cast<std::uint32_t>(random_lines)};
          p.cache = *cache;
          p.evict = *evict;
          if (!a.width.empty()) p.width = flag_u64("--width", a.width, 0, UINT64_MAX, "an integer >= 0");
          if (!a.batch.empty()) p.batch = flag_u64("--batch", a.batch, 1, UINT64_MAX, "an integer >= 1 (pages)");
          // kernel-fault runs once, whatever the primitive list says.
          if (p.kernel_fault() && pr != split(a.primitive).front()) continue;
          points.push_back(p);
        }
  if (points.empty()) throw UsageError("--strategy/--primitive/--target/--access: no point to measure");

  PoolOptions popt{a.reserve_hugetlb, a.enable_mthp};
  if (auto why = backing_unusable(*backing, *folio, popt)) throw SetupError(*why);
  std::optional<int> cpu, node;
  if (!a.cpu.empty()) cpu = int(flag_u64("--cpu", a.cpu, 0, 1u << 20, "a CPU number this process may run on"));
  if (!a.node.empty()) node = int(flag_u64("--node", a.node, 0, 1u << 20, "a NUMA node number"));
  install_restore_on_signal();
  Placement place = apply_placement(cpu, node);
  LlcInfo llc_info = detect_llc(llc);
  std::size_t count = a.pool.empty() ? cold_pool_folios(llc_info.bytes, *folio)
                                     : flag_u64("--pool", a.pool, 1, 1u << 20, "an integer >= 1 (folios)");
  if (*cache == CacheState::warm && a.pool.empty()) count = 2;
  FolioPool pool(*backing, *folio, count, popt);

  // Counters for the pinned thread: what cannot be counted here is listed
  // with its reason once, and left empty in the samples.
  std::unique_ptr<CounterSet> counters;
  std::optional<SelectedEvents> events;
  PmuAccess access;
  if (!a.no_counters) {
    events = select_events(a.events.empty() ? std::nullopt : std::optional<std::string>(a.events));
    access = probe_pmu_access();
    counters = std::make_unique<CounterSet>(events->file, access, CounterSet::Options{split(a.metrics), true});
  }

  std::vector<std::unique_ptr<PointRunner>> runners;
  std::vector<Row> rows;
  for (std::size_t i = 0; i < points.size(); ++i) {
    runners.push_back(std::make_unique<PointRunner>(points[i], pool, seed + i, counters.get()));
    rows.push_back(Row{points[i], std::string(runners.back()->primitive_name()), {}});
  }

  utsname u{};
  uname(&u);
  fmt::print("# zeroscope measure on {} ({} {}), cpu {} ({}), node {} ({})\n", u.nodename, u.sysname, u.release,
             place.cpu, place.cpu_source, place.node, place.node_source);
  fmt::print("# LLC {} ({}); pool: {}\n", size_name(llc_info.bytes), llc_info.source, pool.describe());
  fmt::print("# cache {} (evict {}), {} reps after {} warm-up, interleaved (seed {}); times are medians of verified huge samples\n",
             to_string(*cache), to_string(*evict), reps, warmup, seed);

  {
    PhaseMeter plain;
    MeterOverhead t = measure_meter_overhead(plain);
    fmt::print("# timing: CLOCK_MONOTONIC + {} per phase; an empty phase reads {:.0f} ns (median)\n",
               platform::timestamp_name().empty() ? "no cycle counter" : platform::timestamp_name(), t.phase_ns);
  }
  if (counters) {
    PhaseMeter m(counters.get());
    MeterOverhead o = measure_meter_overhead(m);
    fmt::print("# counters: {} file ({}); {}; read path: {}; start/stop overhead {:.0f} ns (median)\n",
               events->file.uarch, events->why, counters->describe_passes(), counters->read_path(), o.ns);
    // One line per distinct reason: "cycles, instructions: no hardware PMU ...".
    std::vector<std::pair<std::string, std::vector<std::string>>> by_reason;
    for (const MissingMetric& mm : counters->missing()) {
      auto it = std::find_if(by_reason.begin(), by_reason.end(), [&](const auto& e) { return e.first == mm.reason; });
      if (it == by_reason.end()) by_reason.push_back({mm.reason, {mm.column}});
      else it->second.push_back(mm.column);
    }
    for (const auto& [reason, cols] : by_reason) fmt::print("# not measured: {}: {}\n", fmt::join(cols, ", "), reason);
    if (!counters->kernel_counting())
      for (const Point& p : points)
        if (p.kernel_fault()) {
          fmt::print("# kernel-fault: its counters are left out: the fault happens in the kernel and kernel-mode counting is not allowed ({})\n",
                     access.kernel_why);
          break;
        }
  } else {
    fmt::print("# counters: off (--no-counters)\n");
  }

  for (std::uint64_t w = 0; w < warmup; ++w)
    for (auto& r : runners) r->run(0);
  std::mt19937_64 order_rng(seed);
  std::vector<std::size_t> order(points.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::uint64_t rep = 0; rep < reps; ++rep) {
    std::shuffle(order.begin(), order.end(), order_rng);
    for (std::size_t i : order) rows[i].samples.push_back(runners[i]->run(static_cast<std::uint32_t>(rep)));
  }
  print_table(rows);
  if (!a.csv.empty()) write_csv(a.csv, rows, counters.get());
  return 0;
}

}  // namespace

Runner add_measure(CLI::App& app) {
  auto a = std::make_shared<MeasureArgs>();
  CLI::App* sub = app.add_subcommand("measure", "Run the fault experiment for a few points and print medians");
  sub->add_option("--backing", a->backing, "thp | mthp | hugetlb | base (default thp)");
  sub->add_option("--folio-size", a->folio_size, "folio size, e.g. 2MB, 64KB, 1GB (default 2MB)");
  sub->add_option("--strategy", a->strategy, "comma list of strategies and kernel-fault");
  sub->add_option("--primitive", a->primitive, "comma list of primitives (default kernel)");
  sub->add_option("--target", a->target, "comma list: first, middle, last, random, N, offset:BYTES");
  sub->add_option("--access", a->access, "comma list: none, touch, page, neighbourhood, stream, folio, random");
  sub->add_option("--op", a->op, "read | write (default write)");
  sub->add_option("--random-lines", a->random_lines, "K for access random (default 64)");
  sub->add_option("--cache", a->cache, "cold | warm (default cold)");
  sub->add_option("--evict", a->evict, "pool | clflush, how cold is made (default pool)");
  sub->add_option("--width", a->width, "three-region neighbourhood radius (default 2)");
  sub->add_option("--batch", a->batch, "pages per clear call for extent/three-region (default whole range)");
  sub->add_option("--reps", a->reps, "samples per point (default 20)");
  sub->add_option("--warmup", a->warmup, "unrecorded samples per point first (default 2)");
  sub->add_option("--cpu", a->cpu, "CPU to pin to (default: highest allowed)");
  sub->add_option("--node", a->node, "NUMA node for memory (default: the CPU's)");
  sub->add_option("--seed", a->seed, "seed for order, random targets and lines (default 1)");
  sub->add_option("--llc-size", a->llc_size, "last-level cache size when sysfs and CPUID cannot tell");
  sub->add_option("--pool", a->pool, "folios in the pool (default: 4x LLC, for cold caches)");
  sub->add_option("--csv", a->csv, "write the raw samples to this CSV file");
  sub->add_option("--metrics", a->metrics, "comma list of metrics to count (default: all of the event file)");
  sub->add_option("--events", a->events, "event file (default: the one for this CPU in configs/events)");
  sub->add_flag("--no-counters", a->no_counters, "time only, open no perf_event counters");
  sub->add_flag("--reserve-hugetlb", a->reserve_hugetlb, "raise nr_hugepages for the run (root), restored at exit");
  sub->add_flag("--enable-mthp", a->enable_mthp, "enable the mTHP size for the run (root), restored at exit");
  return [sub, a]() { return sub->parsed() ? run_measure(*a) : -1; };
}

}  // namespace zs::cli
