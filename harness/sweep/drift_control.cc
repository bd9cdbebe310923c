#include "sweep/drift_control.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common/clock.h"
#include "measure/control_point.h"

namespace zs {

namespace {
constexpr double kModelBytesPerSecond = 10e9;
constexpr double kModelSampleOverheadS = 20e-6;
constexpr double kModelCacheSpeedup = 2;
}  // namespace

std::uint64_t control_every(const std::vector<Point>& points, std::uint64_t samples) {
  if (points.empty()) return 1;
  double sample_s = 0;
  for (const Point& p : points)
    sample_s += 2.0 * double(p.folio_bytes) / kModelBytesPerSecond + kModelSampleOverheadS;
  sample_s /= double(points.size());
  const double reading_s = double(ControlPoint::kBytes) / kModelBytesPerSecond +
                           ControlPoint::kTimed * double(ControlPoint::kBytes) /
                               (kModelCacheSpeedup * kModelBytesPerSecond);
  const auto by_budget = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(reading_s / (kControlBudget * sample_s))));
  if (samples == 0) return by_budget;
  return std::min(by_budget, std::max<std::uint64_t>(1, samples / kControlMinReadings));
}

std::uint64_t expected_controls(std::uint64_t from, std::uint64_t to, std::uint64_t every) {
  if (to <= from || every == 0) return 0;
  // The first, then each multiple of `every` in (from, to], then the last
  // unless it fell on one of those.
  const std::uint64_t grid = to / every - from / every;
  const bool last_on_grid = to % every == 0;
  return 1 + grid + (last_on_grid ? 0 : 1);
}

void DriftControl::take(std::uint64_t finished, double at_s) {
  const double t0 = monotonic_seconds();
  const std::uint64_t ns = measure_();
  seconds_ += monotonic_seconds() - t0;
  readings_.push_back({finished, at_s, ns});
}

nlohmann::json control_meta(const nlohmann::json& point, std::uint64_t every,
                            const nlohmann::json* previous) {
  nlohmann::json c = point;
  c.update(
      {{"cadence",
        {{"every", every},
         {"rule", fmt::format("before the first sample a run segment measures, after each sample "
                              "whose number in the run is a multiple of {}, and after a "
                              "segment's last sample",
                              every)},
         {"budget", kControlBudget}}},
       {"unit", "ns"},
       {"series", nlohmann::json::array()},
       {"segments", nlohmann::json::array()}});
  if (previous != nullptr && previous->contains("control")) {
    const nlohmann::json& old = (*previous)["control"];
    c["series"] = old.value("series", nlohmann::json::array());
    c["segments"] = old.value("segments", nlohmann::json::array());
    const std::uint64_t old_every =
        old.value("cadence", nlohmann::json::object()).value("every", every);
    if (old_every != every) c["cadence"]["earlier_every"] = old_every;
  }
  return c;
}

void record_control(nlohmann::json& meta, const DriftControl& control, double wall_s) {
  if (!meta.contains("control")) return;
  nlohmann::json& c = meta["control"];
  const std::uint64_t segment = meta.value("resumed", nlohmann::json::array()).size();
  nlohmann::json series = nlohmann::json::array(), segments = nlohmann::json::array();
  for (const nlohmann::json& r : c["series"])
    if (r.value("segment", std::uint64_t(0)) < segment) series.push_back(r);
  for (const nlohmann::json& s : c["segments"])
    if (s.value("segment", std::uint64_t(0)) < segment) segments.push_back(s);
  for (const ControlReading& r : control.readings())
    series.push_back({{"sample", r.sample}, {"at_s", r.at_s}, {"ns", r.ns}, {"segment", segment}});
  segments.push_back({{"segment", segment},
                      {"readings", control.readings().size()},
                      {"control_s", control.seconds()},
                      {"wall_s", wall_s},
                      {"share", wall_s > 0 ? control.seconds() / wall_s : 0.0}});
  c["series"] = series;
  c["segments"] = segments;
}

}  // namespace zs
