#include "results/results_runs.h"

#include <filesystem>

#include <fmt/format.h>

#include "common/errors.h"
#include "results/replicates_meta.h"

namespace zs {

std::vector<ResultsData> load_runs(const std::string& path, bool lenient) {
  if (!is_replicates_parent(path)) return {load_results(path, lenient)};
  const ReplicatesMeta meta = read_replicates_meta(path);
  std::vector<ResultsData> runs;
  std::vector<std::string> left_out;
  for (const ReplicateRun& r : meta.runs) {
    const std::string rep = path + "/" + r.dir;
    std::string problem;
    if (r.status != "complete") {
      problem = r.status == "pending" ? "pending, never started"
                                      : fmt::format("{}, not complete", r.status);
    } else if (!std::filesystem::exists(rep)) {
      problem = "missing";
    } else {
      try {
        runs.push_back(load_results(rep, lenient));
        continue;
      } catch (const SetupError& e) {
        problem = e.what();
      }
    }
    if (!lenient)
      throw SetupError(fmt::format(
          "{}: replicate {} of {}: {}; complete the replicates with {} {}, or leave it out with "
          "{}",
          rep, r.number, meta.runs.size(), problem, option_ref(Option::resume_dir), path,
          option_ref(Option::lenient)));
    left_out.push_back(fmt::format("{} left out ({})", rep, problem));
  }
  if (runs.empty())
    throw SetupError(fmt::format("{}: no replicate can be read; complete the replicates with {} {}",
                                 path, option_ref(Option::resume_dir), path));
  // Runs without a label are named by their parent, so that compare
  // (which names a side by its label, else its directory) sees one side.
  for (ResultsData& d : runs)
    if (d.label().empty()) d.meta["label"] = path;
  runs.front().notes.insert(runs.front().notes.end(), left_out.begin(), left_out.end());
  return runs;
}

}  // namespace zs
