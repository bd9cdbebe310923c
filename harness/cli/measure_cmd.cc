// zeroscope measure: the fault experiment for a few points from the command
// line (one backing and folio size; lists of strategies, primitives,
// targets and access patterns). The flags become an in-memory sweep,
// checked as a sweep file is, and measured by the sweep's own session: the
// same order, keep rule and samples.csv rows as `zeroscope run`. Prints a
// table of medians; --csv writes the raw samples in the samples.csv schema.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "cli/emulation_notice.h"
#include "cli/measure_report.h"
#include "cli/measure_residency.h"
#include "cli/usage.h"
#include "cli/validators.h"
#include "common/errors.h"
#include "common/limits.h"
#include "common/parse.h"
#include "memory/setting_guard.h"
#include "results/samples_schema.h"
#include "sweep/settings_reader.h"
#include "sweep/sweep_checks.h"
#include "sweep/sweep_config.h"
#include "sweep/sweep_session.h"

namespace zs::cli {

namespace {

struct MeasureArgs {
  std::string backing = "thp", folio_size = "2MB";
  std::vector<std::string> strategy = {"sequential", "left-right", "three-region", "extent",
                                       std::string(kKernelFault)};
  std::vector<std::string> primitive = {"kernel"}, target = {"first", "middle", "last"},
                           access = {"page"};
  std::string op = "write", cache = "cold", evict = "pool", llc_size, csv, events;
  std::string memory = "recycled";
  std::uint64_t report_wait = 3;
  std::uint64_t width = kUpstreamWidth, batch = 0, reps = 20, warmup = 2, seed = 1,
                random_lines = 64;
  std::uint64_t cpu = 0, node = 0, pool = 0;
  std::vector<std::string> metrics;
  bool reserve_hugetlb = false, enable_mthp = false, no_counters = false;
  bool enable_shmem_thp = false, shootdown = false;  // alias strategies
  bool wait = false;  // --wait: for a live run owning a setting this one changes
  CLI::App* sub = nullptr;
  bool given(const char* flag) const { return sub->count(flag) > 0; }
};

template <class T>
AxisValue<T> axis_value(T value, bool given, std::string text) {
  return AxisValue<T>{std::move(value), given ? 1 : 0, std::move(text)};
}

// The flags as a sweep, checked by the sweep's own checks.
SweepConfig flags_sweep(const MeasureArgs& a) {
  SweepConfig c;  // path "": problems name the flags, not a file
  SweepSettings& s = c.settings;
  s.repetitions = a.reps;
  s.warmup = a.warmup;
  s.seed = a.seed;
  if (a.given("--cpu")) s.cpu = int(a.cpu);
  if (a.given("--node")) s.node = int(a.node);
  s.metrics = a.metrics;
  if (!a.events.empty()) s.events = a.events;
  if (!a.llc_size.empty()) {
    s.llc_size = parse_size(a.llc_size);
    if (!s.llc_size || *s.llc_size == 0)
      throw UsageError(fmt::format("--llc-size: '{}' is not a size; allowed: e.g. 32MiB",
                                   printable(a.llc_size)));
    if (auto why = llc_size_problem(a.llc_size, *s.llc_size))
      throw UsageError(fmt::format("--llc-size: {}", *why));
  }
  s.random_lines = static_cast<std::uint32_t>(a.random_lines);
  s.pool = a.pool;
  s.shootdown = a.shootdown;

  auto backing = parse_backing(a.backing);
  if (!backing)
    throw UsageError(
        fmt::format("--backing: unknown '{}'; allowed: thp, mthp, hugetlb, base", a.backing));
  c.backing = {axis_value(*backing, a.given("--backing"), a.backing)};
  auto folio = parse_size(a.folio_size);
  if (!folio || *folio == 0)
    throw UsageError(fmt::format("--folio-size: '{}' is not a size; allowed: e.g. 2MB, 64KB, 1GB",
                                 a.folio_size));
  c.folio_size = {axis_value(*folio, a.given("--folio-size"), a.folio_size)};
  for (const std::string& st : a.strategy) {
    if (auto why = strategy_problem(st)) throw SetupError(Option::strategy, *why);
    c.strategy.push_back(axis_value(st, a.given("--strategy"), st));
  }
  for (const std::string& pr : a.primitive) {
    if (auto why = primitive_problem(pr)) throw SetupError(Option::primitive, *why);
    c.primitive.push_back(axis_value(pr, a.given("--primitive"), pr));
  }
  for (const std::string& tg : a.target) {
    auto t = TargetSpec::parse(tg);
    if (!t)
      throw UsageError(fmt::format(
          "--target: '{}' is not a target; allowed: first, middle, last, random, a page "
          "index, offset:BYTES",
          tg));
    c.target.push_back(axis_value(*t, a.given("--target"), tg));
  }
  auto op = parse_access_op(a.op);
  if (!op) throw UsageError(fmt::format("--op: unknown '{}'; allowed: read, write", a.op));
  for (const std::string& ac : a.access) {
    auto pat = parse_access_pattern(ac);
    if (!pat)
      throw UsageError(
          fmt::format("--access: unknown '{}'; allowed: {}", ac, access_pattern_names()));
    c.access.push_back(axis_value(AccessSpec{*pat, *op, s.random_lines}, a.given("--access"), ac));
  }
  auto cache = parse_cache_state(a.cache);
  if (!cache) throw UsageError(fmt::format("--cache: unknown '{}'; allowed: cold, warm", a.cache));
  auto evict = parse_evict(a.evict);
  if (!evict)
    throw UsageError(fmt::format("--evict: unknown '{}'; allowed: pool, clflush", a.evict));
  c.cache = {
      axis_value(CacheSpec{*cache, *evict}, a.given("--cache") || a.given("--evict"), a.cache)};
  c.batch = {axis_value(a.batch, a.given("--batch"), std::to_string(a.batch))};
  c.width = {axis_value(a.width, a.given("--width"), std::to_string(a.width))};
  auto memory = parse_memory(a.memory);
  if (!memory)
    throw UsageError(
        fmt::format("--memory: unknown '{}'; allowed: recycled, host-reported", a.memory));
  c.memory = {axis_value(*memory, a.given("--memory"), a.memory)};
  s.report_wait_s = double(a.report_wait);
  check_sweep(c);
  return c;
}

// Refuses an output file that cannot be written before anything is measured.
void check_writable(const std::string& path) {
  check_output_path(path, false, Option::csv);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream probe(tmp);
    if (!probe)
      throw SetupError(Option::csv, fmt::format("cannot write {}: {}", tmp, std::strerror(errno)));
  }
  std::remove(tmp.c_str());
}

void write_csv(const std::string& path, const SamplesLayout& layout,
               const std::vector<std::vector<SampleRow>>& rows) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << format_header(layout);
    for (const auto& point_rows : rows)
      for (const SampleRow& r : point_rows) out << format_row(r);
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("--csv: writing {} failed", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error(
        fmt::format("--csv: renaming {} to {} failed: {}", tmp, path, std::strerror(errno)));
}

int run_measure(const MeasureArgs& a) {
  if (!a.csv.empty()) check_writable(a.csv);
  set_wait_for_setting_owners(
      a.wait, [](const std::string& line) { fmt::print(stderr, "zeroscope measure: {}\n", line); });
  const SweepConfig config = flags_sweep(a);
  const std::vector<Point> points = expand_sweep(config);
  print_emulation_notice("measure", &points);

  install_restore_on_signal();
  SweepSession session(
      points, config.settings,
      SessionOptions{{a.reserve_hugetlb, a.enable_mthp, a.enable_shmem_thp}, !a.no_counters});
  const CacheSpec cache = config.cache.front().value;
  print_measure_setup(session, config.settings, cache.state, cache.evict);

  std::vector<std::vector<SampleRow>> rows(points.size());
  MeasureResidency residency(session);
  SweepObserver quiet;
  session.measure(
      {},
      [&](std::size_t i, std::vector<SampleRow> r) {
        rows[i].insert(rows[i].end(), std::make_move_iterator(r.begin()),
                       std::make_move_iterator(r.end()));
      },
      quiet);
  print_measure_table(session, rows);
  residency.print(points);
  if (!a.csv.empty()) write_csv(a.csv, session.layout(), rows);
  return 0;
}

}  // namespace

Runner add_measure(CLI::App& app) {
  auto a = std::make_shared<MeasureArgs>();
  CLI::App* sub =
      app.add_subcommand("measure", "Run the fault experiment for a few points and print medians");
  a->sub = sub;
  sub->add_option("--backing", a->backing, "thp | mthp | hugetlb | base (default thp)");
  sub->add_option("--folio-size", a->folio_size, "folio size, e.g. 2MB, 64KB, 1GB (default 2MB)");
  sub->add_option("--strategy", a->strategy,
                  "comma list of strategies, kernel-fault and kernel (this kernel's path)")
      ->delimiter(',');
  sub->add_option("--primitive", a->primitive, "comma list of primitives (default kernel)")
      ->delimiter(',');
  sub->add_option("--target", a->target, "comma list: first, middle, last, random, N, offset:BYTES")
      ->delimiter(',');
  sub->add_option("--access", a->access,
                  "comma list: " + access_pattern_names() +
                      " (residency: the map is summarised after the table; residency.csv comes "
                      "from zeroscope run)")
      ->delimiter(',');
  sub->add_option("--op", a->op, "read | write (default write)");
  sub->add_option("--random-lines", a->random_lines, "K for access random (default 64)")
      ->check(within(limits::random_lines));
  sub->add_option("--cache", a->cache, "cold | warm (default cold)");
  sub->add_option("--evict", a->evict, "pool | clflush, how cold is made (default pool)");
  sub->add_option("--width", a->width, "three-region neighbourhood radius (default 2)")
      ->check(within(limits::width));
  sub->add_option("--batch", a->batch,
                  "pages per clear call for extent/three-region (default whole range)")
      ->check(within(limits::batch));
  sub->add_option("--reps", a->reps, "samples per point (default 20)")
      ->check(within(limits::repetitions));
  sub->add_option("--warmup", a->warmup, "unrecorded samples per point first (default 2)")
      ->check(within(limits::warmup));
  sub->add_option("--cpu", a->cpu, "CPU to pin to (default: highest allowed)")
      ->check(within(limits::cpu));
  sub->add_option("--node", a->node, "NUMA node for memory (default: the CPU's)")
      ->check(within(limits::node));
  sub->add_option("--seed", a->seed, "seed for order, random targets and lines (default 1)")
      ->check(within(limits::seed));
  sub->add_option("--llc-size", a->llc_size,
                  "last-level cache size when sysfs and the CPU's cache descriptors cannot tell");
  sub->add_option("--pool", a->pool, "folios in the pool (default: 4x LLC, for cold caches)")
      ->check(within(limits::pool));
  sub->add_option("--memory", a->memory,
                  "recycled | host-reported: freed, reported to the host and discarded first "
                  "(default recycled)");
  sub->add_option("--report-wait", a->report_wait,
                  "seconds to wait for free page reporting, host-reported (default 3)")
      ->check(within(limits::report_wait));
  sub->add_option("--csv", a->csv, "write the raw samples to this file, in the samples.csv schema");
  sub->add_option("--metrics", a->metrics,
                  "comma list of metrics to count (default: all of the event file)")
      ->delimiter(',');
  sub->add_option("--events", a->events,
                  "event file (default: the one for this CPU in configs/events)");
  sub->add_flag("--no-counters", a->no_counters, "time only, open no perf_event counters");
  sub->add_flag("--reserve-hugetlb", a->reserve_hugetlb,
                "raise nr_hugepages for the run (root), restored at exit");
  sub->add_flag("--enable-mthp", a->enable_mthp,
                "enable the mTHP size for the run (root), restored at exit");
  sub->add_flag(
      "--enable-shmem-thp", a->enable_shmem_thp,
      "allow shmem THP for the run (root; the alias strategies' memfd), restored at exit");
  sub->add_flag("--shootdown", a->shootdown,
                "alias strategies: a sibling thread on another CPU, so every unmap is a shootdown");
  sub->add_flag("--wait", a->wait, kWaitHelp);
  return [sub, a]() { return sub->parsed() ? run_measure(*a) : -1; };
}

}  // namespace zs::cli
