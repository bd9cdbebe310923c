#include "sweep/sweep_runner.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/errors.h"
#include "machine/capability.h"
#include "memory/setting_guard.h"
#include "report/emulation_warning.h"
#include "results/residency_csv.h"
#include "results/results_dir.h"
#include "sweep/drift_control.h"
#include "sweep/emulation_checks.h"
#include "sweep/fault_anatomy_meta.h"
#include "sweep/machine_checks.h"
#include "sweep/memory_axis.h"
#include "sweep/run_meta.h"
#include "sweep/sample_rows.h"

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
  return est + host_reported_wait_seconds(points, set);
}

namespace {
// Refuses a resume whose config.toml is not the one the run started with,
// naming what changed in the sweep.
void check_config_unchanged(const std::string& dir, const nlohmann::json& meta) {
  const std::string text = file_text(dir + "/config.toml");
  const nlohmann::json now = config_fingerprint(text);
  const nlohmann::json then = meta.value("config_fingerprint", nlohmann::json());
  const nlohmann::json started = meta.value("config", nlohmann::json::object());
  const bool changed = then.is_object() ? then != now : started.value("text", text) != text;
  if (!changed) return;
  std::string what;
  try {
    SweepConfig c = load_sweep_config(dir + "/config.toml");
    const std::vector<Point> points = expand_sweep(c);
    what = config_difference(started, sweep_to_json(c, points));
    if (what.empty()) what = "the text only; the sweep is the same";
  } catch (const SetupError& e) {
    what = fmt::format("it no longer loads: {}", e.what());
  }
  throw SetupError(Option::resume_dir,
                   fmt::format("{}/config.toml changed since the run started (fingerprint {}, "
                               "now {}: {}); put the original back, or start a new run",
                               dir, fingerprint_text(then), fingerprint_text(now), what));
}

bool nonempty_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) > 0;
}
}  // namespace

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
    check_config_unchanged(dir, read_json(dir + "/meta.json"));
    // meta.json is written after samples.csv has its header: without one
    // (or with an empty one) the samples were lost, not never taken.
    if (!nonempty_file(dir + "/samples.csv") && !opt.restart)
      throw SetupError(
          Option::resume_dir,
          fmt::format("{}/samples.csv is {}, and every sample in it with it; measure them all "
                      "again with {}, or start a new run",
                      dir, std::filesystem::exists(dir + "/samples.csv") ? "empty" : "missing",
                      option_ref(Option::restart)));
    if (opt.restart && nonempty_file(dir + "/samples.csv"))
      throw SetupError(Option::restart,
                       fmt::format("{}/samples.csv is there: resume it without {} (nothing is "
                                   "measured twice), or start a new run",
                                   dir, option_ref(Option::restart)));
    plan.config_file = dir + "/config.toml";
  }
  plan.config = load_sweep_config(plan.config_file);
  plan.overrides =
      opt.resume_dir
          ? recorded_run_overrides(
                read_json(*opt.resume_dir + "/meta.json").value("run_options", nlohmann::json()))
          : opt.overrides;
  apply_run_overrides(plan.overrides, plan.config.settings);
  plan.cpu = opt.cpu;
  if (opt.resume_dir) {
    // The samples of a run are all taken on one CPU.
    const nlohmann::json ro =
        read_json(*opt.resume_dir + "/meta.json").value("run_options", nlohmann::json::object());
    const std::optional<int> was = ro.contains("cpu") && ro.at("cpu").is_number_integer()
                                       ? std::optional<int>(ro.at("cpu").get<int>())
                                       : std::nullopt;
    if (opt.cpu && opt.cpu != was)
      throw SetupError(
          Option::cpu,
          was ? fmt::format("{} was measured on cpu {}; resume it without {} (it "
                            "keeps cpu {})",
                            *opt.resume_dir, *was, option_ref(Option::cpu), *was)
              : fmt::format("{} was measured on its config's CPU; resume it without {}",
                            *opt.resume_dir, option_ref(Option::cpu)));
    plan.cpu = was;
  }
  if (plan.cpu) {
    if (auto why = sweep_machine::cpu_problem(*plan.cpu)) throw SetupError(Option::cpu, *why);
    plan.config.settings.cpu = *plan.cpu;
  }
  if (opt.replicate) plan.config.settings.order_seed = opt.replicate->seed;
  if (opt.resume_dir) {
    const nlohmann::json rep =
        read_json(*opt.resume_dir + "/meta.json").value("replicate", nlohmann::json());
    if (rep.is_object() && rep.contains("seed") && rep.at("seed").is_number_unsigned())
      plan.config.settings.order_seed = rep.at("seed").get<std::uint64_t>();
  }
  plan.points = expand_sweep(plan.config);
  plan.total = plan.points.size() * plan.config.settings.repetitions;
  return plan;
}

namespace {
// On a resume: samples.csv with only whole samples, each (key, rep, phase)
// once, rewritten atomically when anything had to go.
SamplesRepair repair_on_resume(const std::string& dir, const SweepPlan& plan,
                               CompletedSamples& done) {
  const std::string path = dir + "/samples.csv";
  if (!nonempty_file(path)) return {};
  // Read leniently: what a crash or a repeated append leaves (a torn line,
  // an unfinished or incomplete sample, a duplicated row) is repaired here;
  // any other damage means the file was edited, and is refused.
  std::set<std::string> keys;
  for (const Point& p : plan.points) keys.insert(point_key(p));
  ReadOptions ro;
  ro.lenient = true;
  ro.keys = &keys;
  SamplesFile f = read_samples(path, ro);
  SamplesRepair found;
  found.torn_line = f.torn;
  found.partial_samples = f.unfinished > 0 ? 1 : 0;
  for (const DamagedRow& d : f.damaged) {
    switch (d.kind) {
      case DamageKind::duplicated:
        ++found.duplicate_rows;
        break;
      case DamageKind::incomplete:
        ++found.partial_samples;
        break;
      case DamageKind::torn:
        found.torn_line = true;
        break;
      case DamageKind::malformed:
        throw SetupError(fmt::format(
            "{}; the file was edited or damaged, so the run cannot be completed from it: restore "
            "it, or start a new run",
            d.problem));
    }
  }
  std::map<std::string, std::vector<std::string>> phases;
  for (const Point& p : plan.points) phases[point_key(p)] = sample_phases(p);
  SamplesRepair repair = repair_samples(
      f, path,
      [&](const std::string& key) {
        auto it = phases.find(key);
        return it == phases.end() ? std::vector<std::string>() : it->second;
      },
      plan.config.settings.repetitions);
  repair.duplicate_rows += found.duplicate_rows;
  repair.partial_samples += found.partial_samples;
  repair.torn_line = repair.torn_line || found.torn_line;
  if (repair.any()) {
    std::string text = format_header(f.layout);
    for (const SampleRow& r : f.rows) text += format_row(r, f.layout);
    write_file_atomically(dir, "samples.csv", text);
  }
  done = completed_samples(f);
  return repair;
}
}  // namespace

SweepResult run_sweep(const SweepRunOptions& given, const SweepPlan& plan, RunObserver& observer) {
  const SweepSettings& set = plan.config.settings;
  SweepRunOptions opt = given;
  nlohmann::json old_meta;
  std::string label = !opt.label.empty() ? opt.label : set.label;
  if (opt.resume_dir) {
    old_meta = read_json(*opt.resume_dir + "/meta.json");
    const nlohmann::json ro = old_meta.value("run_options", nlohmann::json::object());
    opt.reserve_hugetlb = opt.reserve_hugetlb || ro.value("reserve_hugetlb", false);
    opt.enable_mthp = opt.enable_mthp || ro.value("enable_mthp", false);
    opt.enable_shmem_thp = opt.enable_shmem_thp || ro.value("enable_shmem_thp", false);
    if (opt.label.empty()) label = old_meta.value("label", label);
  }

  std::optional<DirectoryLock> lock;
  if (opt.resume_dir) lock.emplace(*opt.resume_dir);

  // ---- the machine: placement, caches, counters, pools. Any refusal
  // happens here, before a results directory exists.
  install_restore_on_signal();
  const nlohmann::json capability = capability_record();
  if (std::string w = emulation_warning(capability); !w.empty()) observer.warning(w);
  refuse_what_emulation_breaks(capability, plan.points);
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
  SweepSession session(
      plan.points, set,
      SessionOptions{{opt.reserve_hugetlb, opt.enable_mthp, opt.enable_shmem_thp}, true});
  if (std::string w = fault_anatomy_warning(session); !w.empty()) observer.warning(w);

  // ---- the results directory.
  if (!opt.resume_dir) {
    std::filesystem::create_directories(dir);
    lock.emplace(dir);
    // Durable before meta.json names its fingerprint, or a power cut could
    // leave a meta.json whose config.toml never reached the disk.
    write_file_atomically(dir, "config.toml", plan.config.text);
  }
  const std::string samples_csv = dir + "/samples.csv";
  SweepResult r;
  r.dir = dir;
  r.total = plan.total;
  nlohmann::json meta;
  std::optional<SamplesWriter> writer;
  std::optional<SpaceReserve> reserve;
  try {
    CompletedSamples done;
    const SamplesRepair repair =
        opt.resume_dir ? repair_on_resume(dir, plan, done) : SamplesRepair{};
    if (repair.any()) observer.repaired(samples_csv, repair);
    writer.emplace(samples_csv, session.layout());
    std::optional<ResidencyWriter> residency;
    if (session.residency) {
      if (opt.resume_dir) repair_residency(dir, done.done);
      residency.emplace(dir + "/residency.csv");
      session.residency_sink = [&](std::size_t i, std::uint32_t rep, const std::vector<float>& ns) {
        residency->append(
            format_residency_rows(session.keys()[i], rep, ns, session.residency->rule.thresholds));
      };
    }
    const std::uint64_t done_before = done.done.size();
    meta = start_meta({plan.config,
                       session,
                       capability,
                       label,
                       opt.resume_dir ? &old_meta : nullptr,
                       plan.total,
                       done_before,
                       config_fingerprint(file_text(dir + "/config.toml")),
                       {{"reserve_hugetlb", opt.reserve_hugetlb}, {"enable_mthp", opt.enable_mthp}},
                       repair});
    if (opt.enable_shmem_thp) meta["run_options"]["enable_shmem_thp"] = true;
    if (plan.cpu) meta["run_options"]["cpu"] = *plan.cpu;
    record_run_overrides(plan.overrides, meta["run_options"]);
    if (session.residency) meta["residency"] = residency_json(*session.residency);
    if (opt.replicate)
      meta["replicate"] = {{"number", opt.replicate->number}, {"seed", opt.replicate->seed}};
    else if (old_meta.is_object() && old_meta.contains("replicate"))
      meta["replicate"] = old_meta["replicate"];
    write_json_atomically(dir, "meta.json", meta);
    // Room for the failed status should the disk fill up while measuring.
    reserve.emplace(dir, 2 * meta.dump(2).size() + 65536);

    // ---- measuring.
    observer.started(dir, plan, done_before);
    const double t0 = monotonic_seconds();
    r.status = session.measure(
        done.done, [&](std::size_t, std::vector<SampleRow> rows) { writer->append(rows); },
        observer);
    writer->sync();
    if (residency) residency->sync();

    // ---- the end: summary and the final meta.
    const SamplesFile samples = read_samples(samples_csv);
    r.summary = summarize_samples(samples);
    reserve->release();
    write_file_atomically(dir, "summary.csv", format_summary(r.summary));
    const CompletedSamples after = completed_samples(samples);
    r.done = after.done.size();
    finish_meta(meta, r.status, after, plan.total, done_before, monotonic_seconds() - t0);
    record_control(meta, session.control(), monotonic_seconds() - t0);
    count_fault_anatomy(meta, samples);
    write_json_atomically(dir, "meta.json", meta);
  } catch (const WriteError& e) {
    if (reserve) reserve->release();
    r.status = RunStatus::failed;
    r.failure = e.what();
    if (writer) {
      const std::string cut = writer->cut_to_whole_sample();
      if (!cut.empty()) r.failure += "; " + cut;
      writer.reset();
    }
    try {
      r.done = read_completed(samples_csv).done.size();
    } catch (const std::exception&) {
    }
    r.resumable = opt.resume_dir.has_value() || std::filesystem::exists(dir + "/meta.json");
    if (meta.is_object()) {
      record_control(meta, session.control(), 0);
      fail_meta(meta, r.failure);
      try {
        write_json_atomically(dir, "meta.json", meta);
        r.resumable = true;
      } catch (const WriteError& e2) {
        r.failure += fmt::format("; meta.json not updated ({})", e2.what());
      }
    }
  }
  return r;
}

}  // namespace zs
