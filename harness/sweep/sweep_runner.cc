#include "sweep/sweep_runner.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "platform/platform.h"
#include "common/build_info.h"
#include "machine/capability.h"
#include "counters/counter_set.h"
#include "common/errors.h"
#include "counters/event_selection.h"
#include "machine/placement.h"
#include "results/results_dir.h"
#include "memory/setting_guard.h"
#include "sweep/sweep_config.h"
#include "machine/tsc.h"

namespace zs {

namespace {

// ---- SIGINT/SIGTERM: the first stops after the current sample; a second
// goes to the setting guards' handler (restore, then die).
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

void install_stop_handlers() {
  for (int i = 0; i < 3; ++i) {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(kSignals[i], &sa, &g_previous[i]);
  }
}

std::string iso_now() {
  char buf[40];
  time_t now = time(nullptr);
  tm t{};
  gmtime_r(&now, &t);
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &t);
  return buf;
}

double mono_s() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// The fields that make two runs comparable for --resume: a different
// machine or kernel must not add samples to another's results.
const char* kIdentity[][2] = {{"host", "/host"},
                              {"cpu vendor", "/cpu/vendor"},
                              {"cpu model name", "/cpu/model_name"},
                              {"cpu family", "/cpu/family"},
                              {"cpu model", "/cpu/model"},
                              {"cpu stepping", "/cpu/stepping"},
                              {"kernel release", "/kernel/release"}};

std::string identity_difference(const nlohmann::json& then, const nlohmann::json& now) {
  for (auto& [name, ptr] : kIdentity) {
    nlohmann::json::json_pointer p(ptr);
    auto a = then.contains(p) ? then.at(p) : nlohmann::json();
    auto b = now.contains(p) ? now.at(p) : nlohmann::json();
    if (a != b) return fmt::format("{} was {} and is {} now", name, a.dump(), b.dump());
  }
  return "";
}

struct PoolKey {
  Backing backing;
  std::uint64_t bytes;
  bool operator<(const PoolKey& o) const { return std::tie(backing, bytes) < std::tie(o.backing, o.bytes); }
};

std::string cell(const std::optional<std::uint64_t>& v) { return v ? std::to_string(*v) : std::string(); }

// The sample's rows, one per phase, formatted before the one write().
std::string format_rows(const Point& p, const std::string& key, std::string_view primitive, const Sample& s,
                        const CounterSet* counters, std::optional<double> tsc_hz, bool record_batches,
                        const std::string& left_out) {
  std::string out;
  auto row = [&](const char* phase, const std::optional<PhaseReading>& r) {
    if (!r) return;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", key, to_string(p.backing), p.folio_bytes,
                       p.strategy, primitive, s.target_page, to_string(p.access.pattern), to_string(p.access.op),
                       to_string(p.cache), to_string(p.evict), p.batch, p.width, s.rep, phase, r->ns,
                       platform::timestamp_name().empty() ? std::string() : std::to_string(r->tsc));
    if (counters != nullptr) {
      for (std::size_t c = 0; c < counters->columns().size(); ++c) {
        out += ",";
        if (!r->counters.has(c)) continue;
        const double scale = counters->columns()[c].scale;
        out += scale == 1.0 ? std::to_string(r->counters.value[c])
                            : fmt::format("{:.9g}", double(r->counters.value[c]) * scale);
      }
      out += std::string(counters->missing().size(), ',');
    }
    const bool zero_phase = std::string_view(phase) == "zero";
    std::string batch_ns, batches;
    if (zero_phase && record_batches && tsc_hz) {
      batch_ns = fmt::format("{:.0f}", double(s.batch_max_ticks) * 1e9 / *tsc_hz);
      batches = std::to_string(s.batches);
    }
    out += fmt::format(",{},{},{},{},{},{}\n", batch_ns, batches,
                       s.backing.verified ? (s.backing.huge ? "1" : "0") : "",
                       counters != nullptr && r->counters.valid ? (r->counters.multiplexed ? "1" : "0") : "",
                       counters != nullptr && counters->passes() > 1 ? std::to_string(r->counters.pass) : "",
                       left_out);
  };
  row("zero", s.zero);
  row("fault", s.fault);
  row("access", s.access);
  return out;
}

// Why a sample does not enter the statistics ("" = kept).
std::string left_out_reason(const Point& p, const Sample& s) {
  if (p.backing != Backing::base) {
    if (!s.backing.verified) return "backing unverified";
    if (!s.backing.huge) return "not huge";
  }
  for (const auto* r : {&s.zero, &s.fault, &s.access})
    if (*r && (*r)->counters.multiplexed) return "multiplexed";
  return "";
}

void print_medians(const std::string& summary_csv, const std::vector<Point>& points, bool batches) {
  // key -> phase -> median ns, from summary.csv (so resumed samples count).
  std::map<std::string, std::map<std::string, std::pair<double, std::string>>> med;
  std::ifstream in(summary_csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) c.push_back(x);
    if (c.size() >= 6 && c[2] == "ns") med[c[0]][c[1]] = {std::stod(c[5]), c[3]};
    // The worst batch's median (a p95 would be the tail a scheduler sees).
    if (c.size() >= 10 && c[2] == "batch_max_ns") med[c[0]]["batch_max"] = {std::stod(c[5]), c[9]};
  }
  std::size_t w = 5;
  for (const Point& p : points) w = std::max(w, point_key(p).size());
  fmt::print("{:<{}} {:>5} {:>10} {:>10} {:>10}{}\n", "point", w, "n", "zero_us", "access_us", "fault_us",
             batches ? "  batch_max_us (median, p95)" : "");
  for (const Point& p : points) {
    const auto& m = med[point_key(p)];
    auto us = [&](const char* ph) {
      auto it = m.find(ph);
      return it == m.end() ? std::string("-") : fmt::format("{:.1f}", it->second.first / 1000.0);
    };
    std::string n = m.count("access") ? m.at("access").second : "0";
    std::string b;
    if (batches && m.count("batch_max"))
      b = fmt::format("  {:.1f}, {:.1f}", m.at("batch_max").first / 1000.0, std::stod(m.at("batch_max").second) / 1000.0);
    fmt::print("{:<{}} {:>5} {:>10} {:>10} {:>10}{}\n", point_key(p), w, n, us("zero"), us("access"), us("fault"), b);
  }
}

}  // namespace

int run_sweep(const SweepRunOptions& opt) {
  for (const std::string& line : recover_leftover_settings()) fmt::print(stderr, "zeroscope: {}\n", line);

  // ---- the config, checked completely before anything else.
  std::string dir;
  nlohmann::json old_meta;
  std::string config_file = opt.config_path;
  if (opt.resume_dir) {
    dir = *opt.resume_dir;
    if (!std::filesystem::exists(dir + "/meta.json") || !std::filesystem::exists(dir + "/config.toml"))
      throw SetupError(fmt::format("--resume: {} is not a zeroscope results directory (no meta.json/config.toml)", dir));
    old_meta = read_json(dir + "/meta.json");
    if (!config_file.empty()) {
      std::ifstream a(config_file), b(dir + "/config.toml");
      std::stringstream sa, sb;
      sa << a.rdbuf();
      sb << b.rdbuf();
      if (sa.str() != sb.str())
        throw SetupError(fmt::format("--resume: {} was run with a different config than {}; resume without CONFIG, "
                                     "or start a new run",
                                     dir, config_file));
    }
    config_file = dir + "/config.toml";
  }
  SweepConfig config = load_sweep_config(config_file);
  const std::vector<Point> points = expand_sweep(config);
  const SweepSettings& set = config.settings;
  const std::string label = !opt.label.empty() ? opt.label : set.label;
  const std::uint64_t total = points.size() * set.repetitions;

  if (opt.dry_run) {
    for (const Point& p : points) fmt::print("{}\n", point_key(p));
    // An estimate, not a measurement: zeroing and access at an assumed
    // 10 GB/s plus 20 us per sample; real runs print what they took.
    double est = 0;
    for (const Point& p : points)
      est += double(set.repetitions + set.warmup) * (2.0 * double(p.folio_bytes) / 10e9 + 20e-6);
    fmt::print("# {} points x {} repetitions = {} samples (+ {} warm-up each); estimated {:.0f} s at an assumed "
               "10 GB/s, pool set-up not included\n",
               points.size(), set.repetitions, total, set.warmup, est);
    return 0;
  }

  // ---- the machine: placement, caches, counters, pools. Any refusal
  // happens here, before a results directory exists.
  install_restore_on_signal();
  nlohmann::json capability = capability_record();
  if (opt.resume_dir) {
    std::string diff = identity_difference(old_meta.value("capability", nlohmann::json()), capability);
    if (!diff.empty())
      throw SetupError(fmt::format("--resume: {} comes from another machine or kernel ({}); start a new run here", dir, diff));
  }
  Placement place = apply_placement(set.cpu, set.node);
  LlcInfo llc = detect_llc(set.llc_size, set.llc_size.has_value());
  SelectedEvents events = select_events(set.events);
  PmuAccess access = probe_pmu_access();
  auto counters = std::make_unique<CounterSet>(events.file, access, CounterSet::Options{set.metrics, true});
  TscInfo tsc = tsc_info();

  PoolOptions popt{opt.reserve_hugetlb, opt.enable_mthp};
  std::map<PoolKey, std::unique_ptr<FolioPool>> pools;
  for (const Point& p : points) {
    PoolKey k{p.backing, p.folio_bytes};
    if (pools.count(k)) continue;
    bool all_warm = std::all_of(points.begin(), points.end(), [&](const Point& q) {
      return q.backing != p.backing || q.folio_bytes != p.folio_bytes || q.cache == CacheState::warm;
    });
    std::size_t count = set.pool ? set.pool : all_warm ? 2 : cold_pool_folios(llc.bytes, p.folio_bytes);
    pools[k] = std::make_unique<FolioPool>(p.backing, p.folio_bytes, count, popt);
  }
  std::vector<std::unique_ptr<PointRunner>> runners;
  for (std::size_t i = 0; i < points.size(); ++i) {
    runners.push_back(std::make_unique<PointRunner>(points[i], *pools[{points[i].backing, points[i].folio_bytes}],
                                                    set.seed + i, counters.get()));
    runners.back()->set_record_batches(set.record_batches);
  }
  PhaseMeter plain, with_counters(counters.get());
  const MeterOverhead timing_overhead = measure_meter_overhead(plain);
  const MeterOverhead counter_overhead = measure_meter_overhead(with_counters);

  // ---- the results directory.
  if (!opt.resume_dir) {
    dir = opt.out_dir ? *opt.out_dir : "results/" + results_dir_name(label);
    if (std::filesystem::exists(dir))
      throw SetupError(fmt::format("--out: {} exists; choose another directory or resume it with --resume {}", dir, dir));
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(config_file, dir + "/config.toml");
  }
  std::vector<std::string> header = kLeadingColumns;
  for (const CounterColumn& c : counters->columns()) header.push_back(c.name);
  for (const MissingMetric& m : counters->missing()) header.push_back(m.column);
  header.insert(header.end(), kTrailingColumns.begin(), kTrailingColumns.end());
  SamplesWriter writer(dir + "/samples.csv", header);
  CompletedSamples done = read_completed(dir + "/samples.csv");

  nlohmann::json meta;
  meta["schema"] = kResultsSchema;
  meta["zeroscope"] = {{"version", build_version()}, {"commit", build_git_commit()}};
  meta["label"] = label;
  meta["capability"] = capability;
  meta["config"] = sweep_to_json(config, points);
  meta["placement"] = {{"cpu", place.cpu}, {"cpu_source", place.cpu_source}, {"node", place.node},
                       {"node_source", place.node_source}};
  meta["llc"] = {{"bytes", llc.bytes}, {"source", llc.source}};
  meta["tsc"] = {{"counter", tsc.counter}, {"hz", tsc.hz ? nlohmann::json(*tsc.hz) : nlohmann::json()}, {"source", tsc.source}};
  nlohmann::json missing = nlohmann::json::object();
  for (const MissingMetric& m : counters->missing()) missing[m.column] = m.reason;
  meta["counters"] = {{"event_file", events.file.path}, {"uarch", events.file.uarch}, {"chosen", events.why},
                      {"passes", counters->describe_passes()}, {"read_path", counters->read_path()},
                      {"kernel_counting", access.kernel}, {"kernel_why", access.kernel_why},
                      {"not_measured", missing},
                      {"overhead_ns", {{"timing_only_empty_phase", timing_overhead.phase_ns},
                                       {"counters_start_stop", counter_overhead.ns}}}};
  nlohmann::json pools_json = nlohmann::json::array();
  for (const auto& [k, pool] : pools) pools_json.push_back(pool->describe());
  meta["pools"] = pools_json;
  const std::string started = opt.resume_dir ? old_meta.value("started", iso_now()) : iso_now();
  meta["started"] = started;
  nlohmann::json resumes = opt.resume_dir ? old_meta.value("resumed", nlohmann::json::array()) : nlohmann::json::array();
  if (opt.resume_dir) resumes.push_back({{"at", iso_now()}, {"samples_already_done", done.done.size()}});
  meta["resumed"] = resumes;
  meta["status"] = "running";
  meta["samples"] = {{"expected", total}, {"done_before", done.done.size()}};
  write_json_atomically(dir, "meta.json", meta);

  fmt::print(stderr, "zeroscope run: {} points x {} repetitions = {} samples into {}{}\n", points.size(),
             set.repetitions, total, dir,
             done.done.empty() ? "" : fmt::format(" ({} already done)", done.done.size()));

  // ---- measuring.
  g_stop = 0;
  install_stop_handlers();
  const bool tty = isatty(STDERR_FILENO);
  const double t0 = mono_s();
  double last_progress = t0;
  std::uint64_t finished = done.done.size(), this_run = 0;
  std::string status = "complete";

  for (std::uint64_t w = 0; w < set.warmup && !g_stop; ++w)
    for (auto& r : runners) r->run(static_cast<std::uint32_t>(1000000 + w));
  std::vector<std::size_t> order(points.size());
  for (std::uint64_t rep = 0; rep < set.repetitions && status == "complete"; ++rep) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937_64 rng(set.seed * 1000003 + rep);  // the same order on every resume
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i : order) {
      if (g_stop) {
        status = "interrupted";
        break;
      }
      if (set.time_budget_s && mono_s() - t0 > *set.time_budget_s) {
        status = "time budget reached";
        break;
      }
      const std::string key = point_key(points[i]);
      if (done.done.count({key, rep})) continue;
      Sample s = runners[i]->run(static_cast<std::uint32_t>(rep));
      const std::string why = left_out_reason(points[i], s);
      writer.append(format_rows(points[i], key, points[i].kernel_fault() ? "" : runners[i]->primitive_name(), s,
                                counters.get(), tsc.hz, set.record_batches, why));
      ++finished;
      ++this_run;
      const double now = mono_s();
      if (tty || now - last_progress > 10) {
        const double rate = double(this_run) / std::max(1e-9, now - t0);
        const double eta = rate > 0 ? double(total - finished) / rate : 0;
        if (tty) {
          const int width = 30, filled = int(width * double(finished) / double(std::max<std::uint64_t>(total, 1)));
          fmt::print(stderr, "\r[{}{}] {}/{} samples, ETA {:.0f} s ", std::string(filled, '#'),
                     std::string(width - filled, '.'), finished, total, eta);
        } else if (now - last_progress > 10) {
          fmt::print(stderr, "zeroscope run: {}/{} samples, ETA {:.0f} s\n", finished, total, eta);
        }
        if (now - last_progress > 10 || tty) last_progress = now;
      }
    }
  }
  if (tty) fmt::print(stderr, "\n");
  writer.sync();

  // ---- the end: summary and the final meta.
  write_summary(dir + "/samples.csv", dir + "/summary.csv");
  CompletedSamples after = read_completed(dir + "/samples.csv");
  meta["status"] = status;
  meta["ended"] = iso_now();
  nlohmann::json left = nlohmann::json::object();
  std::uint64_t left_total = 0;
  for (const auto& [why, n] : after.left_out) {
    left[why] = n;
    left_total += n;
  }
  meta["samples"] = {{"expected", total}, {"done", after.done.size()}, {"rows", after.rows},
                     {"kept", after.done.size() - left_total}, {"left_out", left}, {"done_before", done.done.size()},
                     {"wall_seconds_this_run", mono_s() - t0}};
  write_json_atomically(dir, "meta.json", meta);

  print_medians(dir + "/summary.csv", points, set.record_batches);
  fmt::print("results: {}\n", dir);
  if (status == "complete") return 0;
  fmt::print(stderr, "zeroscope run: {} after {} of {} samples; complete it with: zeroscope run --resume {}\n", status,
             after.done.size(), total, dir);
  return status == "interrupted" ? 130 : 3;
}

}  // namespace zs
