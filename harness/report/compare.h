// `zeroscope compare DIR_A DIR_B [DIR...]`: the same points measured in
// several results directories (a baseline kernel against a patched one on
// one machine, or the same config on machines of different vendors),
// matched by their axes. Per point, each later directory against the first:
// the change of the cost-phase median with its 95% bootstrap interval of the
// ratio, the Mann-Whitney p (Holm over every comparison), and a verdict:
// faster, slower, or no significant change. A verdict needs 2+ runs on every
// side: one run cannot tell a change from the machine moving between runs
// (report/compare_verdict.h). Points on one side only are
// listed; directories that differ in more than `--by` names are refused.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/drift.h"
#include "results/results_data.h"
#include "stats/stats.h"

namespace zs {

struct CompareOptions {
  std::string by = "label";  // label | host | kernel: what is meant to differ
  std::string format = "text";
  std::uint64_t seed = 1;
  double alpha = 0.05;
  std::string command;
  // Axes left out when matching points (e.g. {"strategy"}: a run of one
  // strategy against a run of another, all else equal; a kernel-fault point
  // then matches the replica's points whatever their primitive:
  // report/compare_match.h). No matched point at all is a SetupError.
  std::vector<std::string> ignore;
};

struct CompareEntry {
  PointInfo point;          // as in the first directory
  PointInfo other;          // as in the later one (differs only in ignored axes)
  std::size_t against = 1;  // index of the directory compared with the first
  stats::Summary a, b;
  stats::Interval change;  // ratio of medians b / a, minus 1
  double p = 1, p_holm = 1;
  std::string verdict;  // faster | slower | n.s.; "-" (no verdict) with one run on a side
};

struct Comparison {
  // One entry per side: its directories joined with ',' (several = replicate runs).
  std::vector<std::string> dirs, names;  // names: the --by value of each side
  std::vector<std::size_t> runs;         // runs per side
  bool run_level = false;  // every side has 2+ runs: intervals and p include run-to-run variance
  std::vector<std::string> cpus, kernels;
  std::string by, command;
  std::vector<CompareEntry> entries;
  std::vector<std::pair<std::string, std::string>> one_side;  // (key, "only in DIR")
  std::size_t comparisons = 0;
  std::vector<std::string> notes;  // "DIR: rows the reader left out" (ResultsData::notes)
  // Why no entry has a verdict ("one run per side: no verdict, ..."); "" when
  // every side has 2+ runs. It names option_ref(Option::replicates): the CLI
  // renders it as a flag before printing.
  std::string verdict_why;
  ControlShift control;  // the drift control per side (report/drift.h)
};

// Each side is one or more results directories (replicate runs of the same
// config). With one run per side, the interval and p come from the samples
// (run-to-run variance is not in them: the text says so); with 2+ runs on
// every side, from a hierarchical bootstrap over runs and then samples.
// Throws SetupError when --by is unknown or the directories differ in
// something other than what --by names (the difference stated).
Comparison build_comparison(const std::vector<std::vector<ResultsData>>& sides,
                            const CompareOptions& opt);

std::string render_comparison_text(const Comparison& c);
std::string render_comparison_markdown(const Comparison& c);
std::string render_comparison_csv(const Comparison& c);
nlohmann::json render_comparison_json(const Comparison& c);

}  // namespace zs
