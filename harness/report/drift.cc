#include "report/drift.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/units.h"
#include "report/report.h"
#include "stats/stats.h"

namespace zs {

namespace {
double median_of(std::vector<double> v) { return v.empty() ? 0 : stats::summarize(v).median; }
std::string us(double ns) { return fmt::format("{:.1f} us", ns / 1000.0); }
std::string signed_pct(double x) { return fmt::format("{:+.1f}%", 100 * x); }
}  // namespace

QuarterDrift quarter_drift(const std::vector<double>& series, double threshold) {
  QuarterDrift d;
  d.per_quarter = series.size() / 4;
  if (d.per_quarter < kDriftMinPerQuarter) return d;
  const auto q = static_cast<std::ptrdiff_t>(d.per_quarter);
  d.first = median_of({series.begin(), series.begin() + q});
  d.last = median_of({series.end() - q, series.end()});
  d.change = d.first > 0 ? d.last / d.first - 1 : 0;
  d.verdict = std::fabs(d.change) > threshold ? QuarterDrift::Verdict::drift
                                              : QuarterDrift::Verdict::stable;
  return d;
}

const char* to_string(QuarterDrift::Verdict v) {
  switch (v) {
    case QuarterDrift::Verdict::stable:
      return "stable";
    case QuarterDrift::Verdict::drift:
      return "drift";
    case QuarterDrift::Verdict::too_few:
      return "too_few";
  }
  return "";
}

ControlSummary summarize_control(const nlohmann::json& meta) {
  ControlSummary c;
  c.version = meta.value("zeroscope", nlohmann::json::object()).value("version", "?");
  if (!meta.contains("control")) return c;
  try {
    const nlohmann::json& j = meta.at("control");
    c.present = true;
    c.primitive = j.value("primitive", "?");
    c.bytes = j.value("bytes", std::uint64_t(0));
    c.every = j.value("cadence", nlohmann::json::object()).value("every", std::uint64_t(0));
    // In the order taken: by segment, then by sample.
    std::vector<std::tuple<std::uint64_t, std::uint64_t, double>> rows;
    for (const nlohmann::json& r : j.at("series"))
      rows.emplace_back(r.value("segment", std::uint64_t(0)), r.at("sample").get<std::uint64_t>(),
                        r.at("ns").get<double>());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
    });
    std::vector<double> ns;
    std::uint64_t last_segment = 0;
    for (const auto& [segment, sample, v] : rows) {
      ns.push_back(v);
      if (ns.size() == 1 || segment != last_segment) ++c.segments;
      last_segment = segment;
    }
    c.n = ns.size();
    if (!ns.empty()) {
      const stats::Summary s = stats::summarize(ns);
      c.median = s.median;
      c.mad_pct = s.median > 0 ? 100 * s.mad / s.median : 0;
      c.iqr_pct = s.median > 0 ? 100 * (s.p75 - s.p25) / s.median : 0;
    }
    c.drift = quarter_drift(ns);
  } catch (const nlohmann::json::exception& e) {
    throw SetupError(
        fmt::format("meta.json: control: {}; the run's control series is damaged", e.what()));
  }
  return c;
}

std::string no_control_text(const ControlSummary& c) {
  return fmt::format("no control series (recorded since zeroscope {}; this run: {})", kControlSince,
                     c.version);
}

std::string control_report_text(const ControlSummary& c) {
  if (!c.present) return wrap_lines("control: " + no_control_text(c) + ".");
  if (c.n == 0) return wrap_lines("control: the series is empty (no sample was measured)");
  std::string o = wrap_lines(fmt::format(
      "control ({} extent zero, {}, every {} samples): median {}, MAD {:.1f}%, IQR {:.1f}% of "
      "the median, n {}{}.",
      exact_size(c.bytes), c.primitive, c.every, us(c.median), c.mad_pct, c.iqr_pct, c.n,
      c.segments > 1 ? fmt::format(" over {} run segments", c.segments) : ""));
  const QuarterDrift& d = c.drift;
  switch (d.verdict) {
    case QuarterDrift::Verdict::too_few:
      o += wrap_lines(fmt::format("drift: not judged, {} control readings ({} needed).", c.n,
                                  4 * kDriftMinPerQuarter));
      break;
    case QuarterDrift::Verdict::stable:
      o += wrap_lines(
          fmt::format("drift: none beyond {:.0f}% (control median {} in the first quarter, {} in "
                      "the last, {}).",
                      100 * kDriftThreshold, us(d.first), us(d.last), signed_pct(d.change)));
      break;
    case QuarterDrift::Verdict::drift:
      o += wrap_lines(fmt::format(
          "WARNING: the machine drifted: control median {} in the first quarter, {} in the last "
          "({}, over {:.0f}%); rerun, and check the machine (frequency, other load, the host).",
          us(d.first), us(d.last), signed_pct(d.change), 100 * kDriftThreshold));
      break;
  }
  return o;
}

nlohmann::json control_report_json(const ControlSummary& c) {
  if (!c.present) return {{"present", false}, {"drift", nullptr}, {"reason", no_control_text(c)}};
  nlohmann::json j = {{"present", true},
                      {"primitive", c.primitive},
                      {"every", c.every},
                      {"n", c.n},
                      {"segments", c.segments},
                      {"median_ns", c.median},
                      {"mad_pct", c.mad_pct},
                      {"iqr_pct", c.iqr_pct},
                      {"threshold", kDriftThreshold},
                      {"drift", to_string(c.drift.verdict)}};
  if (c.drift.verdict != QuarterDrift::Verdict::too_few) {
    j["first_quarter_median_ns"] = c.drift.first;
    j["last_quarter_median_ns"] = c.drift.last;
    j["change"] = c.drift.change;
    j["per_quarter"] = c.drift.per_quarter;
  }
  return j;
}

ControlShift compare_controls(const std::vector<std::vector<ResultsData>>& sides) {
  ControlShift s;
  for (const auto& side : sides) {
    std::vector<ControlSummary> runs;
    std::vector<double> medians;
    bool all = !side.empty();
    for (const ResultsData& d : side) {
      runs.push_back(summarize_control(d.meta));
      if (runs.back().present && runs.back().n > 0)
        medians.push_back(runs.back().median);
      else
        all = false;
    }
    s.sides.push_back(runs);
    s.medians.push_back(all ? std::optional<double>(median_of(medians)) : std::nullopt);
  }
  for (std::size_t i = 0; i < s.medians.size(); ++i) {
    std::optional<double> change;
    if (i > 0 && s.medians[0] && s.medians[i] && *s.medians[0] > 0)
      change = *s.medians[i] / *s.medians[0] - 1;
    s.change.push_back(change);
    s.moved.push_back(change && std::fabs(*change) > kDriftThreshold);
  }
  return s;
}

std::string control_shift_text(const ControlShift& s) {
  const bool none = std::none_of(s.sides.begin(), s.sides.end(), [](const auto& runs) {
    return std::any_of(runs.begin(), runs.end(), [](const ControlSummary& c) { return c.present; });
  });
  if (none && !s.sides.empty() && !s.sides.front().empty())
    return wrap_lines(
        fmt::format("control: no side has a control series (recorded since "
                    "zeroscope {}; A's run: {}).",
                    kControlSince, s.sides.front().front().version));
  std::string o = "control (a reference zero, the same in every run), median per side:\n";
  for (std::size_t i = 0; i < s.sides.size(); ++i) {
    const char side = char('A' + i);
    std::vector<std::string> runs;
    const ControlSummary* missing = nullptr;
    for (const ControlSummary& c : s.sides[i]) {
      if (!c.present || c.n == 0) missing = missing ? missing : &c;
      runs.push_back(c.present && c.n > 0 ? us(c.median) : "-");
    }
    std::string line;
    if (!s.medians[i]) {
      line = fmt::format("{}: {}", side,
                         missing ? no_control_text(*missing) : std::string("no control series"));
    } else {
      line = fmt::format("{}: {}", side, us(*s.medians[i]));
      if (runs.size() > 1) line += fmt::format(" (runs {})", fmt::join(runs, ", "));
      if (s.change[i])
        line += s.moved[i] ? fmt::format(
                                 ", {} vs A, over {:.0f}%: the machine itself moved "
                                 "between the runs; a change of that size in the table "
                                 "may be the machine, not what differs between the runs",
                                 signed_pct(*s.change[i]), 100 * kDriftThreshold)
                           : fmt::format(", {} vs A, within {:.0f}%: the machine did not move",
                                         signed_pct(*s.change[i]), 100 * kDriftThreshold);
      else if (i > 0)
        line += ": not compared (A has no control series)";
    }
    o += wrap_lines("  " + line + ".", 80, "    ");
  }
  return o;
}

nlohmann::json control_shift_json(const ControlShift& s) {
  nlohmann::json sides = nlohmann::json::array();
  for (std::size_t i = 0; i < s.sides.size(); ++i) {
    nlohmann::json runs = nlohmann::json::array();
    for (const ControlSummary& c : s.sides[i])
      runs.push_back(c.present && c.n > 0 ? nlohmann::json(c.median) : nlohmann::json());
    sides.push_back({{"side", std::string(1, char('A' + i))},
                     {"run_medians_ns", runs},
                     {"median_ns", s.medians[i] ? nlohmann::json(*s.medians[i]) : nlohmann::json()},
                     {"change", s.change[i] ? nlohmann::json(*s.change[i]) : nlohmann::json()},
                     {"machine_moved", s.moved[i]}});
  }
  return {{"threshold", kDriftThreshold}, {"sides", sides}};
}

std::string drift_warning(const ControlSummary& c) {
  if (!c.present || c.drift.verdict != QuarterDrift::Verdict::drift) return "";
  return fmt::format(
      "the drift control moved {:+.1f}% between the first and the last quarter of the run "
      "({:.1f} us, then {:.1f} us): the machine changed while measuring; check it (load, "
      "frequency, the host) and run again",
      100 * c.drift.change, c.drift.first / 1000, c.drift.last / 1000);
}

}  // namespace zs
