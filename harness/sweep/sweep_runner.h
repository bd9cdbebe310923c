// A sweep from a config file into a results directory (`zeroscope run`).
// Every completed sample is appended durably; a stop (the observer asks)
// ends after the current sample and leaves a directory that a resume
// completes without repeating or losing a sample. The caller prints:
// progress comes through the observer, the outcome as a SweepResult.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "results/results_dir.h"
#include "results/summary.h"
#include "sweep/run_overrides.h"
#include "sweep/sweep_config.h"
#include "sweep/sweep_session.h"

namespace zs {

struct SweepRunOptions {
  std::string config_path;             // "" with resume_dir: the directory's own config
  std::optional<std::string> out_dir;  // default results/<yyyymmdd-hhmmss>-<host>[-<label>]
  std::string label;                   // overrides the config's
  bool reserve_hugetlb = false;
  bool enable_mthp = false;
  bool enable_shmem_thp = false;  // the alias strategies' shmem memfd, for the run
  // The CPU to measure on, over the config's settings.cpu (a fleet host's
  // own numbering); recorded in meta.json, and a resume keeps it.
  std::optional<int> cpu;
  // --repetitions, --pool over the config's (sweep/run_overrides.h).
  RunOverrides overrides;
  std::optional<std::string> resume_dir;
  // With resume_dir whose samples.csv is missing: measure every sample
  // again (without it such a resume is refused).
  bool restart = false;
  // A child of `run --replicates` (sweep/replicates.h): its number and the
  // seed of its interleaved order, recorded in meta.json as "replicate"
  // (which a resume reads back).
  struct Replicate {
    int number = 0;
    std::uint64_t seed = 0;
  };
  std::optional<Replicate> replicate;
};

// The config, checked completely, and its points: for a resume the
// directory's own config (a CONFIG given too must be the same file), which
// must be the one the run started with (meta.json's fingerprint), and its
// samples.csv must be there (or `restart`).
struct SweepPlan {
  SweepConfig config;
  std::vector<Point> points;
  std::string config_file;
  std::uint64_t total = 0;  // points x repetitions
  std::optional<int> cpu;   // the run's --cpu (a resume: the one it started with)
  RunOverrides overrides;   // the run's --repetitions, --pool (a resume: its own)
  // An estimate, not a measurement: zeroing and access at an assumed
  // 10 GB/s plus 20 us per sample, warm-up included, pool set-up not; plus
  // report_wait for every host-reported sample (which is most of such a run).
  double estimate_seconds() const;
};
SweepPlan plan_sweep(const SweepRunOptions& opt);

class RunObserver : public SweepObserver {
 public:
  // The directory is written and measuring starts.
  virtual void started(const std::string& /*dir*/, const SweepPlan& /*plan*/,
                       std::uint64_t /*done_before*/) {}
  // A resume cut duplicated rows, partial samples or a torn line.
  virtual void repaired(const std::string& /*samples_csv*/, const SamplesRepair& /*what*/) {}
  // Something the run's numbers carry that a reader must know (the tracing's cost).
  virtual void warning(const std::string& /*line*/) {}
};

struct SweepResult {
  RunStatus status = RunStatus::complete;
  std::string dir;
  std::uint64_t total = 0, done = 0;  // samples expected, in samples.csv now
  std::vector<SummaryRow> summary;    // summary.csv, resumed samples included
  std::string failure;                // status failed: what could not be written, and why
  bool resumable = true;              // false: failed before meta.json was written
};

// `plan` is plan_sweep(opt). Throws SetupError before measuring (bad config, another machine's
// directory, pools that cannot be had); nothing is written before the
// machine is set up. A resume reuses the run's reserve_hugetlb and
// enable_mthp. A write that fails (disk full, I/O error) ends the run with
// status failed: samples.csv cut back to its last whole sample, meta.json
// saying why, settings restored (the session's guards) before returning.
SweepResult run_sweep(const SweepRunOptions& opt, const SweepPlan& plan, RunObserver& observer);

}  // namespace zs
