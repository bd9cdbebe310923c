#include "sweep/sweep_runner.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/errors.h"
#include "machine/capability.h"
#include "memory/setting_guard.h"
#include "results/results_dir.h"
#include "sweep/run_meta.h"

namespace zs {

namespace {
std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

double SweepPlan::estimate_seconds() const {
  const SweepSettings& set = config.settings;
  double est = 0;
  for (const Point& p : points)
    est += double(set.repetitions + set.warmup) * (2.0 * double(p.folio_bytes) / 10e9 + 20e-6);
  return est;
}

SweepPlan plan_sweep(const SweepRunOptions& opt) {
  SweepPlan plan;
  plan.config_file = opt.config_path;
  if (opt.resume_dir) {
    const std::string& dir = *opt.resume_dir;
    if (!std::filesystem::exists(dir + "/meta.json") ||
        !std::filesystem::exists(dir + "/config.toml"))
      throw SetupError(
          Option::resume_dir,
          fmt::format("{} is not a zeroscope results directory (no meta.json/config.toml)", dir));
    if (!opt.config_path.empty() && file_text(opt.config_path) != file_text(dir + "/config.toml"))
      throw SetupError(
          Option::resume_dir,
          fmt::format("{} was run with a different config than {}; resume without {}, or start a "
                      "new run",
                      dir, opt.config_path, option_ref(Option::config)));
    plan.config_file = dir + "/config.toml";
  }
  plan.config = load_sweep_config(plan.config_file);
  plan.points = expand_sweep(plan.config);
  plan.total = plan.points.size() * plan.config.settings.repetitions;
  return plan;
}

SweepResult run_sweep(const SweepRunOptions& opt, const SweepPlan& plan, RunObserver& observer) {
  const SweepSettings& set = plan.config.settings;
  const std::string label = !opt.label.empty() ? opt.label : set.label;
  nlohmann::json old_meta;
  if (opt.resume_dir) old_meta = read_json(*opt.resume_dir + "/meta.json");

  // ---- the machine: placement, caches, counters, pools. Any refusal
  // happens here, before a results directory exists.
  install_restore_on_signal();
  const nlohmann::json capability = capability_record();
  if (opt.resume_dir) {
    std::string diff =
        identity_difference(old_meta.value("capability", nlohmann::json()), capability);
    if (!diff.empty())
      throw SetupError(
          Option::resume_dir,
          fmt::format("{} comes from another machine or kernel ({}); start a new run here",
                      *opt.resume_dir, diff));
  }
  const std::string dir = opt.resume_dir ? *opt.resume_dir
                          : opt.out_dir  ? *opt.out_dir
                                         : "results/" + results_dir_name(label);
  if (!opt.resume_dir && std::filesystem::exists(dir))
    throw SetupError(Option::out_dir,
                     fmt::format("{} exists; choose another directory or resume it with {} {}", dir,
                                 option_ref(Option::resume_dir), dir));
  SweepSession session(plan.points, set,
                       SessionOptions{{opt.reserve_hugetlb, opt.enable_mthp}, true});

  // ---- the results directory.
  if (!opt.resume_dir) {
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(plan.config_file, dir + "/config.toml");
  }
  const std::string samples_csv = dir + "/samples.csv";
  SamplesWriter writer(samples_csv, session.layout());
  const CompletedSamples done = read_completed(samples_csv);
  const std::uint64_t done_before = done.done.size();
  nlohmann::json meta = start_meta({plan.config, session, capability, label,
                                    opt.resume_dir ? &old_meta : nullptr, plan.total, done_before});
  write_json_atomically(dir, "meta.json", meta);

  // ---- measuring.
  observer.started(dir, plan, done_before);
  const double t0 = monotonic_seconds();
  const RunStatus status = session.measure(
      done.done, [&](std::size_t, std::vector<SampleRow> rows) { writer.append(rows); }, observer);
  writer.sync();

  // ---- the end: summary and the final meta.
  const SamplesFile samples = read_samples(samples_csv);
  SweepResult r;
  r.status = status;
  r.dir = dir;
  r.total = plan.total;
  r.summary = summarize_samples(samples);
  write_summary_csv(r.summary, dir + "/summary.csv");
  const CompletedSamples after = completed_samples(samples);
  r.done = after.done.size();
  finish_meta(meta, status, after, plan.total, done_before, monotonic_seconds() - t0);
  write_json_atomically(dir, "meta.json", meta);
  return r;
}

}  // namespace zs
