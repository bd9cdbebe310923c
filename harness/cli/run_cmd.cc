// zeroscope run CONFIG: a sweep into a self-describing results directory.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/emulation_notice.h"
#include "cli/replicates_cmd.h"
#include "cli/run_reporter.h"
#include "cli/usage.h"
#include "cli/validators.h"
#include "memory/setting_guard.h"
#include "results/replicates_meta.h"
#include "sweep/sweep_runner.h"

namespace zs::cli {

Runner add_run(CLI::App& app) {
  auto o = std::make_shared<SweepRunOptions>();
  auto out = std::make_shared<std::string>();
  auto resume = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  auto wait = std::make_shared<bool>(false);
  auto replicates = std::make_shared<int>(0);
  auto rep_number = std::make_shared<int>(0);
  auto rep_seed = std::make_shared<std::uint64_t>(0);
  CLI::App* sub =
      app.add_subcommand("run", "Run a sweep from a config file into a results directory");
  sub->add_option("config", o->config_path, "sweep config (TOML); see configs/");
  sub->add_option("--out", *out,
                  "results directory (default results/<yyyymmdd-hhmmss>-<host>[-<label>])");
  sub->add_option("--label", o->label, "label for the results directory (overrides the config's)")
      ->check(label());
  sub->add_option("--resume", *resume, "complete an interrupted sweep in this results directory");
  sub->add_flag("--restart", o->restart,
                "with --resume: measure every sample again when DIR's samples.csv is missing");
  sub->add_flag("--reserve-hugetlb", o->reserve_hugetlb,
                "raise nr_hugepages for the run (root), restored at exit; a resume reuses it");
  sub->add_flag("--enable-mthp", o->enable_mthp,
                "enable the mTHP sizes for the run (root), restored at exit; a resume reuses it");
  sub->add_flag(
      "--enable-shmem-thp", o->enable_shmem_thp,
      "allow shmem THP for the run (root; the alias strategies' memfd), restored at exit");
  sub->add_option("--cpu", o->cpu,
                  "CPU to measure on, over the config's settings.cpu (e.g. a fleet host's own); a "
                  "resume keeps the run's")
      ->check(within(limits::cpu));
  sub->add_option("--repetitions", o->overrides.repetitions,
                  "samples per point, over the config's settings.repetitions; a resume keeps the "
                  "run's")
      ->check(within(limits::repetitions));
  sub->add_option("--pool", o->overrides.pool,
                  "folios per pool, over the config's settings.pool; a resume keeps the run's")
      ->check(within(limits::pool));
  sub->add_flag("--dry-run", *dry_run,
                "print the expanded points, the sample count and an estimate; measure nothing");
  sub->add_flag("--wait", *wait, kWaitHelp);
  sub->add_option("--replicates", *replicates,
                  "N independent runs (a fresh process each, the order re-drawn) into "
                  "DIR/rep-1..N; compare and report take DIR as replicates")
      ->check(within(limits::replicates));
  // A child of --replicates: its number and order seed (not for users).
  sub->add_option("--replicate-number", *rep_number)->group("");
  sub->add_option("--replicate-seed", *rep_seed)->group("");
  return [sub, o, out, resume, dry_run, wait, replicates, rep_number, rep_seed]() {
    if (!sub->parsed()) return -1;
    if (*rep_number > 0) o->replicate = SweepRunOptions::Replicate{*rep_number, *rep_seed};
    if (!out->empty()) o->out_dir = *out;
    if (!resume->empty()) o->resume_dir = *resume;
    if (o->config_path.empty() && !o->resume_dir)
      throw UsageError(
          "CONFIG is required (or --resume DIR); allowed: a sweep file such as configs/quick.toml");
    if (o->out_dir && o->resume_dir)
      throw UsageError("--out: not allowed with --resume, which writes into DIR itself");
    if (o->resume_dir && (o->overrides.repetitions || o->overrides.pool))
      throw UsageError(fmt::format("{}: not with --resume, which keeps the run's",
                                   o->overrides.repetitions ? "--repetitions" : "--pool"));
    if (o->restart && !o->resume_dir)
      throw UsageError("--restart: only with --resume DIR (a new run starts from zero anyway)");
    if (o->out_dir) check_output_path(*o->out_dir, true, Option::out_dir);
    const bool parent = o->resume_dir && is_replicates_parent(*o->resume_dir);
    if (*replicates > 0 && o->resume_dir)
      throw UsageError("--replicates: not with --resume, which completes DIR's own replicates");
    if (parent && (o->restart || !o->config_path.empty() || *dry_run))
      throw UsageError(fmt::format(
          "--resume: {} holds replicates; resume it without CONFIG, --restart or --dry-run",
          *o->resume_dir));
    if (*replicates > 0 || parent) return run_replicates_cmd({*o, *replicates, *dry_run, *wait});
    set_wait_for_setting_owners(
        *wait, [](const std::string& line) { fmt::print(stderr, "zeroscope run: {}\n", line); });
    const SweepPlan plan = plan_sweep(*o);
    if (*dry_run) {
      print_dry_run(plan, o->enable_shmem_thp);
      return 0;
    }
    print_emulation_notice("run");
    RunReporter reporter;
    return reporter.finish(run_sweep(*o, plan, reporter), plan);
  };
}

}  // namespace zs::cli
