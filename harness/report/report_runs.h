// `zeroscope report` of replicate runs (a `run --replicates` parent,
// results/results_runs.h): the tables of one run, from every run's samples,
// but each point's cost is the median of its run medians with a 95%
// interval from a bootstrap over runs, then samples (stats_runs), and the
// change against the baseline and its p come from that bootstrap too, so
// that run-to-run variance is in them. The header says how many runs.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report.h"

namespace zs {

// `runs` from load_runs(dir); one run is build_report's report.
Report build_runs_report(const std::vector<ResultsData>& runs, const std::string& dir,
                         const ReportOptions& opt);

// One vector per run that has values of `column` ("ns" or a counter) for
// the point's phase, in the runs' order.
std::vector<std::vector<double>> run_values(const std::vector<ResultsData>& runs,
                                            const std::string& key, const std::string& phase,
                                            const std::string& column);

// The hooks of the renderers (report.cc): "" / nothing for one run.
std::string runs_header_text(const Report& r);
std::string runs_header_markdown(const Report& r);
std::string runs_group_text(const ReportGroup& g);
void add_runs_json(const Report& r, nlohmann::json& j);

}  // namespace zs
