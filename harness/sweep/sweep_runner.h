// `zeroscope run`: a sweep from a config file into a results directory.
// Points are interleaved in a seeded random order within each repetition
// (so drift does not bias one strategy), after a warm-up per point; every
// completed sample is appended durably; SIGINT stops after the current
// sample and leaves a directory that `--resume` completes without
// repeating or losing a sample.
#pragma once

#include <optional>
#include <string>

namespace zs {

struct SweepRunOptions {
  std::string config_path;             // "" with resume_dir: the directory's own config
  std::optional<std::string> out_dir;  // default results/<yyyymmdd-hhmmss>-<host>[-<label>]
  std::string label;                   // overrides the config's
  bool reserve_hugetlb = false;
  bool enable_mthp = false;
  bool dry_run = false;
  std::optional<std::string> resume_dir;
};

// Returns the process exit code: 0 complete, 130 interrupted (resumable),
// 3 time budget reached (resumable). Throws SetupError before measuring.
int run_sweep(const SweepRunOptions& opt);

}  // namespace zs
