// The drift control read back (meta.json "control", sweep/drift_control.h):
// its spread, whether its median moved between the first and the last
// quarter of a run (the machine drifted while measuring), and, for
// `compare`, whether it moved between runs (the machine, not the change
// under test, differs). The same work is measured at every reading, so a
// moving control is the machine: frequency, other load, the host.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/results_data.h"

namespace zs {

// A control median that moves by more than this is drift, in a run or between runs.
inline constexpr double kDriftThreshold = 0.05;
// Readings each quarter needs before drift is judged (so 8 in all).
inline constexpr std::size_t kDriftMinPerQuarter = 2;
// The first zeroscope version that records the control series.
inline constexpr const char* kControlSince = "0.2.0";

// The quarter rule on a series in the order it was taken: the median of
// its first floor(n/4) readings against that of its last floor(n/4).
struct QuarterDrift {
  enum class Verdict { stable, drift, too_few };
  Verdict verdict = Verdict::too_few;
  std::size_t per_quarter = 0;
  double first = 0, last = 0;  // medians, ns
  double change = 0;           // last / first - 1
};
QuarterDrift quarter_drift(const std::vector<double>& series, double threshold = kDriftThreshold);
const char* to_string(QuarterDrift::Verdict v);  // "stable" | "drift" | "too_few"

struct ControlSummary {
  bool present = false;
  std::string version;  // the zeroscope that made the run (said when there is no series)
  std::string primitive;
  std::uint64_t every = 0, bytes = 0;
  std::size_t n = 0, segments = 0;
  double median = 0, mad_pct = 0, iqr_pct = 0;  // ns; MAD and IQR in % of the median
  QuarterDrift drift;
};
// Throws SetupError when "control" is there but malformed.
ControlSummary summarize_control(const nlohmann::json& meta);
// "no control series (recorded since zeroscope X; this run: Y)".
std::string no_control_text(const ControlSummary& c);

// Report text: the spread, then a line on drift (a WARNING when it moved).
std::string control_report_text(const ControlSummary& c);
nlohmann::json control_report_json(const ControlSummary& c);
// For the end of `zeroscope run`: one line when the control drifted (its
// median moved more than the threshold between the first and the last
// quarter), saying what to do; "" otherwise.
std::string drift_warning(const ControlSummary& c);

// Between runs: each side's runs' control medians, and per later side
// whether the machine moved against the first. A side's median is the
// median of its runs' medians; it moved when that differs from side A's by
// more than kDriftThreshold. (Not whether the runs' intervals overlap: the
// control's spread within a run is a few %, so a 5% shift is what a
// reader could take for an effect.)
struct ControlShift {
  std::vector<std::vector<ControlSummary>> sides;  // per side, per run
  std::vector<std::optional<double>> medians;      // per side; nullopt when a run has none
  std::vector<std::optional<double>> change;       // per side vs the first (first: nullopt)
  std::vector<bool> moved;                         // per side
};
ControlShift compare_controls(const std::vector<std::vector<ResultsData>>& sides);
std::string control_shift_text(const ControlShift& s);
nlohmann::json control_shift_json(const ControlShift& s);

}  // namespace zs
