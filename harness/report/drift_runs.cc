#include "report/drift_runs.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/units.h"
#include "report/report.h"
#include "stats/stats.h"

namespace zs {

namespace {
std::string us(double ns) { return fmt::format("{:.1f} us", ns / 1000.0); }
std::string signed_pct(double x) { return fmt::format("{:+.1f}%", 100 * x); }
bool has_series(const ControlSummary& c) { return c.present && c.n > 0; }

// "rep-2" of "PARENT/rep-2" (or "PARENT/rep-2/"); "run N" when there is no name.
std::string run_name(const std::string& dir, std::size_t i) {
  std::filesystem::path p = std::filesystem::path(dir).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  const std::string name = p.filename().string();
  return name.empty() || name == "." ? fmt::format("run {}", i + 1) : name;
}

std::string run_line(const RunControl& r) {
  const ControlSummary& c = r.control;
  if (!c.present) return fmt::format("{}: {}.", r.run, no_control_text(c));
  if (c.n == 0) return fmt::format("{}: the series is empty (no sample was measured).", r.run);
  const std::string head = fmt::format("{}: median {}, n {}", r.run, us(c.median), c.n);
  const QuarterDrift& d = c.drift;
  switch (d.verdict) {
    case QuarterDrift::Verdict::too_few:
      return fmt::format("{}, drift not judged ({} needed).", head, 4 * kDriftMinPerQuarter);
    case QuarterDrift::Verdict::stable:
      return fmt::format("{}, stable ({} first to last quarter).", head, signed_pct(d.change));
    case QuarterDrift::Verdict::drift:
      break;
  }
  return fmt::format("{}, DRIFTED ({} first to last quarter).", head, signed_pct(d.change));
}
}  // namespace

RunsControl summarize_run_controls(const std::vector<ResultsData>& runs) {
  RunsControl c;
  std::vector<double> medians;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    c.runs.push_back({run_name(runs[i].dir, i), summarize_control(runs[i].meta)});
    const RunControl& r = c.runs.back();
    if (!has_series(r.control)) continue;
    medians.push_back(r.control.median);
    if (r.control.drift.verdict == QuarterDrift::Verdict::drift) c.drifted.push_back(r.run);
  }
  c.with_series = medians.size();
  if (medians.empty()) return c;
  c.median = stats::summarize(medians).median;
  c.min = *std::min_element(medians.begin(), medians.end());
  c.max = *std::max_element(medians.begin(), medians.end());
  c.spread = c.min > 0 ? c.max / c.min - 1 : 0;
  return c;
}

std::string runs_control_text(const RunsControl& c) {
  if (c.runs.empty()) return "";
  auto first = std::find_if(c.runs.begin(), c.runs.end(),
                            [](const RunControl& r) { return r.control.present; });
  if (first == c.runs.end())
    return wrap_lines(fmt::format("control: none of the {} runs has a series; {}: {}.",
                                  c.runs.size(), c.runs.front().run,
                                  no_control_text(c.runs.front().control)));
  const ControlSummary& f = first->control;
  std::string o;
  if (c.with_series == 0) {
    o = wrap_lines(fmt::format("control over {} runs: no run has a reading.", c.runs.size()));
  } else {
    std::string spread = fmt::format(
        "control ({} extent zero, {}, every {} samples) over {} runs: median of run medians "
        "{}; run medians {:.1f}..{}, largest difference {:.1f}%",
        exact_size(f.bytes), f.primitive, f.every, c.runs.size(), us(c.median), c.min / 1000.0,
        us(c.max), 100 * c.spread);
    if (c.spread > kDriftThreshold)
      spread += fmt::format(
          " (over {:.0f}%: the machine moved between the runs; the intervals over runs include "
          "it)",
          100 * kDriftThreshold);
    o = wrap_lines(spread + ".");
  }
  for (const RunControl& r : c.runs) o += wrap_lines("  " + run_line(r), 80, "    ");
  if (!c.drifted.empty())
    o += wrap_lines(fmt::format(
        "WARNING: {} of {} runs drifted ({}): the control median moved over {:.0f}% between "
        "the first and the last quarter of the run; rerun it, and check the machine "
        "(frequency, other load, the host).",
        c.drifted.size(), c.runs.size(), fmt::join(c.drifted, ", "), 100 * kDriftThreshold));
  return o;
}

nlohmann::json runs_control_json(const RunsControl& c) {
  nlohmann::json runs = nlohmann::json::array();
  bool present = false, all_judged = c.with_series > 0;
  std::size_t n = 0;
  const ControlSummary* first = nullptr;
  for (const RunControl& r : c.runs) {
    const ControlSummary& s = r.control;
    present = present || s.present;
    if (s.present && first == nullptr) first = &s;
    n += s.n;
    if (has_series(s) && s.drift.verdict == QuarterDrift::Verdict::too_few) all_judged = false;
    runs.push_back(
        {{"run", r.run},
         {"median_ns", has_series(s) ? nlohmann::json(s.median) : nlohmann::json()},
         {"n", s.n},
         {"drift", has_series(s) ? nlohmann::json(to_string(s.drift.verdict)) : nlohmann::json()}});
  }
  auto num = [&](double v) { return c.with_series ? nlohmann::json(v) : nlohmann::json(); };
  nlohmann::json j = {{"present", present},
                      {"n", n},
                      {"runs_with_series", c.with_series},
                      {"median_ns", num(c.median)},
                      {"min_ns", num(c.min)},
                      {"max_ns", num(c.max)},
                      {"spread", num(c.spread)},
                      {"threshold", kDriftThreshold},
                      {"drifted", c.drifted},
                      {"runs", runs}};
  j["drift"] = !c.drifted.empty()   ? nlohmann::json("drift")
               : c.with_series == 0 ? nlohmann::json()
               : all_judged         ? nlohmann::json("stable")
                                    : nlohmann::json("too_few");
  if (first != nullptr) {
    j["primitive"] = first->primitive;
    j["every"] = first->every;
  } else if (!c.runs.empty()) {
    j["reason"] = no_control_text(c.runs.front().control);
  }
  return j;
}

}  // namespace zs
