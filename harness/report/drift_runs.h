// The drift control of replicate runs (a `run --replicates` parent,
// report/report_runs.h): every run has its own control series, so each run
// gets its own control median and its own drift verdict (the quarter rule
// of report/drift.h on that run's series), and the parent the spread of
// those medians: min..max and the largest difference in %. A WARNING names
// the runs that drifted, even one.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/drift.h"
#include "results/results_data.h"

namespace zs {

struct RunControl {
  std::string run;  // the run's directory name: "rep-2"
  ControlSummary control;
};

struct RunsControl {
  std::vector<RunControl> runs;
  std::size_t with_series = 0;       // runs with a non-empty series
  double median = 0;                 // ns: the median of their medians
  double min = 0, max = 0;           // ns: their lowest and highest median
  double spread = 0;                 // max / min - 1: the largest difference
  std::vector<std::string> drifted;  // runs whose control drifted
};

// Throws SetupError when a run's "control" is malformed (summarize_control).
RunsControl summarize_run_controls(const std::vector<ResultsData>& runs);

// Report text: the spread over runs, one line per run, then a WARNING
// naming the runs that drifted.
std::string runs_control_text(const RunsControl& c);
// The JSON `control` of a parent: median_ns, min_ns, max_ns, spread, n,
// drift ("drift" when any run drifted) and `runs: [{run, median_ns, n, drift}]`.
nlohmann::json runs_control_json(const RunsControl& c);

}  // namespace zs
