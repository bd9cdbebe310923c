// Replica fidelity of replicate runs (a `run --replicates` parent,
// report/report_runs.h): each kernel-fault's ratio fault / replica is the
// ratio of the medians of run medians, with its 95% interval from a
// bootstrap over runs, then samples (stats::bootstrap_runs_ratio), and the
// remainder is the difference of those medians, so that run-to-run
// variance is in the interval. Which point is the replica, and the notes,
// stay as report/fidelity.h found them in every run's samples together.
#pragma once

#include <cstdint>
#include <vector>

#include "report/fidelity.h"
#include "results/results_data.h"

namespace zs {

// Redoes the numbers of `f` (replica_fidelity of the runs' samples
// together) over `runs`; nothing for one run.
void fidelity_over_runs(std::vector<Fidelity>& f, const std::vector<ResultsData>& runs,
                        std::uint64_t seed);

}  // namespace zs
