// What `zeroscope run` prints around the sweep runner: the dry-run listing,
// the progress (a bar on a terminal, a line every 10 s otherwise), the
// medians table at the end, and the exit code (0 complete, 130 interrupted,
// 3 time budget reached, 4 failed: results could not be written (disk
// full, I/O error); all resumable). SIGINT/SIGTERM/SIGHUP ask the runner
// to stop after the current sample; a second one goes to the setting
// guards' handler (restore, then die). A signal ignored when zeroscope
// started (nohup's SIGHUP) stays ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sweep/sweep_runner.h"

namespace zs::cli {

inline constexpr int kExitInterrupted = 130, kExitTimeBudget = 3, kExitWriteFailed = 4;

// `enable_shmem_thp`: the run's --enable-shmem-thp; without it, alias points
// whose shmem THP is not allowed here are named with what the run would say.
void print_dry_run(const SweepPlan& plan, bool enable_shmem_thp = false);

class RunReporter : public RunObserver {
 public:
  RunReporter();
  bool stop_requested() override;
  void started(const std::string& dir, const SweepPlan& plan, std::uint64_t done_before) override;
  void repaired(const std::string& samples_csv, const SamplesRepair& what) override;
  void warning(const std::string& line) override;
  void sample_done(std::uint64_t finished, std::uint64_t total, std::uint64_t this_run,
                   double elapsed_s) override;
  // The medians table and the closing lines; returns the exit code.
  int finish(const SweepResult& r, const SweepPlan& plan);

 private:
  bool tty_;
  double last_progress_ = 0;
  std::vector<std::string> warnings_;  // printed with the results
};

}  // namespace zs::cli
