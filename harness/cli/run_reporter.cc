#include "cli/run_reporter.h"

#include "cli/error_text.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "measure/experiment.h"
#include "memory/memfd_pool.h"
#include "report/drift.h"
#include "results/results_dir.h"
#include "sweep/kernel_strategy.h"
#include "sweep/memory_axis.h"

namespace zs::cli {

namespace {

volatile sig_atomic_t g_stop = 0;
struct sigaction g_previous[3];
constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};

void on_stop_signal(int sig) {
  if (!g_stop) {
    g_stop = sig;
    return;
  }
  for (int i = 0; i < 3; ++i)
    if (kSignals[i] == sig) {
      sigaction(sig, &g_previous[i], nullptr);
      raise(sig);
    }
}

// Installed once measuring starts, after the setting guards' handlers,
// which a second signal falls through to. An inherited SIG_IGN (nohup,
// background jobs) is left in place: whoever started us asked for it.
void install_stop_handlers() {
  g_stop = 0;
  for (int i = 0; i < 3; ++i) {
    sigaction(kSignals[i], nullptr, &g_previous[i]);
    if (g_previous[i].sa_handler == SIG_IGN) continue;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(kSignals[i], &sa, nullptr);
  }
}

void print_medians(const std::vector<SummaryRow>& summary, const std::vector<Point>& points,
                   bool batches) {
  // key -> phase -> (median ns, n or p95), from the summary (so resumed samples count).
  std::map<std::string, std::map<std::string, std::pair<double, double>>> med;
  for (const SummaryRow& r : summary) {
    if (r.column == "ns") med[r.key][r.phase] = {r.s.median, double(r.s.n)};
    // The worst batch's median (a p95 would be the tail a scheduler sees).
    if (r.column == "batch_max_ns") med[r.key]["batch_max"] = {r.s.median, r.s.p95};
  }
  std::vector<std::string> keys;
  std::size_t w = 5;
  for (const Point& p : points) w = std::max(w, keys.emplace_back(point_key(p)).size());
  fmt::print("{:<{}} {:>5} {:>10} {:>10} {:>10}{}\n", "point", w, "n", "zero_us", "access_us",
             "fault_us", batches ? "  batch_max_us (median, p95)" : "");
  for (const std::string& key : keys) {
    const auto& m = med[key];
    auto us = [&](const char* ph) {
      auto it = m.find(ph);
      return it == m.end() ? std::string("-") : fmt::format("{:.1f}", it->second.first / 1000.0);
    };
    const std::string n = m.count("access") ? fmt::format("{}", m.at("access").second) : "0";
    std::string b;
    if (batches && m.count("batch_max"))
      b = fmt::format("  {:.1f}, {:.1f}", m.at("batch_max").first / 1000.0,
                      m.at("batch_max").second / 1000.0);
    fmt::print("{:<{}} {:>5} {:>10} {:>10} {:>10}{}\n", key, w, n, us("zero"), us("access"),
               us("fault"), b);
  }
}

}  // namespace

void print_dry_run(const SweepPlan& plan, bool enable_shmem_thp) {
  const SweepSettings& set = plan.config.settings;
  for (const Point& p : plan.points) fmt::print("{}\n", point_key(p));
  // What the run would refuse before measuring and the dry run can see.
  std::set<std::uint64_t> shmem;
  for (const Point& p : plan.points)
    if (!enable_shmem_thp && p.backing == Backing::thp && pool_source(p) == PoolSource::memfd &&
        shmem.insert(p.folio_bytes).second)
      if (auto why = shmem_thp_unusable(p.folio_bytes))
        fmt::print("# the run would refuse {}: {}\n", p.strategy.name(),
                   error_text(SetupError(*why)));
  const double s = plan.estimate_seconds();
  const double waits = host_reported_wait_seconds(plan.points, set);
  fmt::print(
      "# {} points x {} repetitions = {} samples (+ {} warm-up each); estimated {} at an "
      "assumed 10 GB/s{}, pool set-up not included\n",
      plan.points.size(), set.repetitions, plan.total, set.warmup,
      s < 1 ? std::string("under 1 s") : fmt::format("{:.0f} s", s),
      waits > 0 ? fmt::format(" ({:.0f} s of it waiting for free page reporting)", waits) : "");
}

RunReporter::RunReporter() : tty_(isatty(STDERR_FILENO)) {}

bool RunReporter::stop_requested() { return g_stop != 0; }

void RunReporter::started(const std::string& dir, const SweepPlan& plan,
                          std::uint64_t done_before) {
  fmt::print(stderr, "zeroscope run: {} points x {} repetitions = {} samples into {}{}\n",
             plan.points.size(), plan.config.settings.repetitions, plan.total, dir,
             done_before == 0 ? "" : fmt::format(" ({} already done)", done_before));
  for (const std::string& line : kernel_path_header(plan.points))
    fmt::print(stderr, "zeroscope run: {}\n", line);
  install_stop_handlers();
}

void RunReporter::repaired(const std::string& samples_csv, const SamplesRepair& what) {
  std::vector<std::string> parts;
  if (what.duplicate_rows) parts.push_back(fmt::format("{} duplicated rows", what.duplicate_rows));
  if (what.partial_samples)
    parts.push_back(fmt::format("{} partial samples (measured again)", what.partial_samples));
  if (what.torn_line) parts.push_back("a torn last line");
  fmt::print(stderr, "zeroscope run: {}: removed {}\n", samples_csv, fmt::join(parts, ", "));
}

// Said with the results (stdout), after the medians they qualify: stderr
// stays the channel of what went wrong with the run itself.
void RunReporter::warning(const std::string& line) { warnings_.push_back(line); }

void RunReporter::sample_done(std::uint64_t finished, std::uint64_t total, std::uint64_t this_run,
                              double elapsed_s) {
  const bool due = elapsed_s - last_progress_ > 10;
  if (!tty_ && !due) return;
  const double rate = double(this_run) / std::max(1e-9, elapsed_s);
  const double eta = rate > 0 ? double(total - finished) / rate : 0;
  if (tty_) {
    const int width = 30,
              filled = int(width * double(finished) / double(std::max<std::uint64_t>(total, 1)));
    fmt::print(stderr, "\r[{}{}] {}/{} samples, ETA {:.0f} s ", std::string(filled, '#'),
               std::string(width - filled, '.'), finished, total, eta);
  } else {
    fmt::print(stderr, "zeroscope run: {}/{} samples, ETA {:.0f} s\n", finished, total, eta);
  }
  last_progress_ = elapsed_s;
}

int RunReporter::finish(const SweepResult& r, const SweepPlan& plan) {
  if (tty_) fmt::print(stderr, "\n");
  if (r.status == RunStatus::failed) {
    fmt::print(stderr,
               "zeroscope run: failed after {} of {} samples: {}; free space (or fix the "
               "disk), then {}\n",
               r.done, r.total, r.failure,
               r.resumable ? "complete it with: zeroscope run --resume " + r.dir
                           : "remove " + r.dir + " and start the run again");
    return kExitWriteFailed;
  }
  print_medians(r.summary, plan.points, plan.config.settings.record_batches);
  if (std::string w = drift_warning(summarize_control(read_json(r.dir + "/meta.json"))); !w.empty())
    warnings_.push_back(std::move(w));
  for (const std::string& w : warnings_) fmt::print("warning: {}\n", w);
  fmt::print("results: {}\n", r.dir);
  if (r.status == RunStatus::complete) return 0;
  fmt::print(
      stderr,
      "zeroscope run: {} after {} of {} samples; complete it with: zeroscope run --resume {}\n",
      to_string(r.status), r.done, r.total, r.dir);
  return r.status == RunStatus::interrupted ? kExitInterrupted : kExitTimeBudget;
}

}  // namespace zs::cli
