// A path given to report or compare, as the runs it holds: an ordinary
// results directory is one run; a replicates parent (`run --replicates`,
// results/replicates_meta.h) is its rep-1..N, in order.
#pragma once

#include <string>
#include <vector>

#include "results/results_data.h"

namespace zs {

// Throws SetupError naming the directory and the fix when a run cannot be
// read (load_results), or when a replicate is missing, damaged or not
// complete ("DIR/rep-3: pending, never started; complete the replicates
// with `resume_dir` DIR, or leave it out with `lenient`"). `lenient`: such
// a replicate is left out and said in the first run's `notes` (damaged rows
// are left out as load_results does); no replicate left is still refused.
std::vector<ResultsData> load_runs(const std::string& path, bool lenient = false);

}  // namespace zs
