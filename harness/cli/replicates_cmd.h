// `zeroscope run --replicates N CONFIG` and `run --resume PARENT`: the
// replicates (sweep/replicates.h), each child zeroscope itself
// (/proc/self/exe) started with posix_spawn in its own process group, its
// stdout and stderr passed through. SIGINT, SIGTERM and SIGHUP reach the
// parent alone (a terminal's ^C included) and are passed on to the child
// once each: the first stops it after its current sample, a second makes
// it restore its settings and die, as for one run. Exit codes are the
// child's (cli/run_reporter.h); 130 when a stop came between children.
#pragma once

#include "sweep/sweep_runner.h"

namespace zs::cli {

struct ReplicatesArgs {
  SweepRunOptions opt;  // config_path or resume_dir, out_dir, label, settings flags
  int count = 0;        // N for new replicates; 0 for a resume
  bool dry_run = false;
  bool wait = false;
};
int run_replicates_cmd(const ReplicatesArgs& a);

}  // namespace zs::cli
