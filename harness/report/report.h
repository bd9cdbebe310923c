// `zeroscope report`: one results directory as tables a kernel developer can
// paste into a cover letter (text: fixed width, at most 80 columns, no
// colour), or as markdown, csv or json. Per backing, folio size and access:
// each strategy (and primitive) with the cost-phase median +- stddev%, GB/s
// (not in the text table: 80 columns), the access-phase median, the total
// (cost + access, report/total_cost.h), the counters measured, and the change against
// a baseline strategy with its 95% BCa interval and Holm-adjusted Mann-Whitney p. Where a series
// was measured at two or more folio sizes, cost = fixed + per-page x pages with R^2
// (report/folio_fit.h). What was not measured is said once, with the reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/access_sensitivity.h"
#include "report/alias_text.h"
#include "report/drift.h"
#include "report/drift_runs.h"
#include "report/fault_anatomy_text.h"
#include "report/fidelity.h"
#include "report/folio_fit.h"
#include "report/host_reported_text.h"
#include "report/report_header.h"
#include "report/residency_text.h"
#include "results/results_data.h"
#include "stats/stats.h"

namespace zs {

struct ReportOptions {
  // "" = upstream if present, else sequential, else the first strategy; and
  // for a table that holds kernel-fault, the replica of the kernel's path
  // where it was measured (report/fidelity.h).
  std::string baseline;
  std::string metric = "ns";  // what the change compares: ns or a counter column of the cost phase
  std::string format = "text";
  std::uint64_t seed = 1;  // bootstrap
  std::string command;     // the command line that produced it, for the header
  bool lenient = false;    // damaged rows of residency.csv left out and said, not refused
};

struct ReportEntry {
  PointInfo point;
  std::string primitive;  // the real one ("" for kernel-fault)
  std::string cost_phase;
  stats::Summary cost, access;
  bool has_access = false;
  std::optional<stats::Summary> total;   // cost + access per sample (report/total_cost.h)
  std::optional<double> gbs;             // folio bytes / cost median
  std::optional<stats::Summary> metric;  // the --metric column of the cost phase, when not ns
  bool is_baseline = false;
  std::optional<stats::Interval> change;  // ratio of medians (metric) vs baseline, minus 1
  std::optional<double> p, p_holm;
  stats::Bimodality bimodal;
  std::size_t outliers = 0;
  std::vector<std::pair<std::string, double>>
      counters;              // medians of measured counter columns (cost phase)
  std::string baseline_key;  // the point `change` is against ("" when none)
  // Replicate runs (report/report_runs.h): the cost's median of run medians
  // with its 95% run-level interval; cost.median is that median too.
  std::optional<stats::Interval> cost_runs;
};

struct ReportGroup {
  std::string name;
  std::vector<ReportEntry> entries;
  std::string baseline;  // "" = the report's; a table with kernel-fault: the replica's strategy
};

struct Report {
  std::string dir, cpu, kernel, thp, host, command, baseline, metric;
  std::vector<ReportGroup> groups;
  std::size_t comparisons = 0;
  std::map<std::string, std::string> not_measured;  // column -> reason
  std::map<std::string, std::uint64_t> left_out;
  std::vector<std::string> notes;  // rows the reader left out (ResultsData::notes)
  FolioFits folio_fits;            // cost against folio size, where a series has two or more
  std::vector<Fidelity> fidelity;  // kernel-fault against the replica of the kernel's path
  std::size_t runs = 1;            // replicate runs (report/report_runs.h)
  ControlSummary control;          // the drift control (report/drift.h)
  RunsControl control_runs;        // replicate runs: each run's control (report/drift_runs.h)
  std::vector<std::string>
      kernel_path;  // how the kernel zeroes the measured folios (kernel_path_note.h)
  FaultAnatomySection fault_anatomy;         // kernel-fault spans from tracepoints
  AliasSection alias;                        // alias strategies (report/alias_text.h)
  MachineHeader machine;                     // the header's machine (report/report_header.h)
  std::map<std::string, std::string> units;  // counter column -> unit (report/metric_units.h)
  ResidencySection residency;                // access = residency (report/residency_text.h)
  std::vector<AccessSensitivity> access_sensitivity;  // report/access_sensitivity_text.h
  HostReportedSection host_reported;  // memory host-reported (report/host_reported_text.h)
};

// Throws SetupError for an unknown baseline or metric.
Report build_report(const ResultsData& data, const ReportOptions& opt);

std::string render_report_text(const Report& r);
std::string render_report_markdown(const Report& r);
std::string render_report_csv(const Report& r);
nlohmann::json render_report_json(const Report& r);

// "+12.3% [+8.1, +16.0]"-style text for a ratio-minus-one interval, and p.
std::string format_change(const stats::Interval& c);
std::string format_p(double p);
// `text` broken at spaces into lines of at most `width` columns, the
// continuation lines indented; each line ends with a newline.
std::string wrap_lines(const std::string& text, std::size_t width = 80,
                       const std::string& indent = "  ");

}  // namespace zs
