// The drift control's cadence and series: when the measuring loop takes a
// control reading (measure/control_point.h), and how the readings of every
// run segment (the run as started, then each resume) are kept in meta.json's
// "control". Readings are taken before the first sample a segment
// measures, after every `every`-th sample of the run (counted over all
// segments, so a resume keeps the grid), and after the last sample a
// segment measures (unless one was just taken).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/experiment.h"

namespace zs {

// The share of a run the control may cost, by the model below.
inline constexpr double kControlBudget = 0.02;

// Samples between control readings, from the points alone (the same on a
// resume). By SweepPlan::estimate_seconds' model a sample costs two passes
// over its folio at 10 GB/s plus 20 us; a reading costs one 2 MiB zero from
// memory at that rate and ControlPoint::kTimed from the cache at twice it, so
// `every` keeps the readings under kControlBudget of the samples' time
// (meta.json records the share measured). 48 for a sweep of 2 MiB folios,
// 1 for 1 GiB ones. With `samples` (the run's recorded samples, the same on
// a resume), at most samples / kControlMinReadings, so that even a short
// run has enough readings for the drift rule to judge (a quarter needs 2).
inline constexpr std::uint64_t kControlMinReadings = 16;
std::uint64_t control_every(const std::vector<Point>& points, std::uint64_t samples = 0);

// Whether a reading follows sample number `finished` (1-based over the run).
inline bool control_due_after(std::uint64_t finished, std::uint64_t every) {
  return every > 0 && finished % every == 0;
}
// Readings of one segment that measures samples [from, to) with this
// cadence: the series length the run records.
std::uint64_t expected_controls(std::uint64_t from, std::uint64_t to, std::uint64_t every);

struct ControlReading {
  std::uint64_t sample = 0;  // samples finished when it was taken (over the run)
  double at_s = 0;           // seconds since the segment's measuring began
  std::uint64_t ns = 0;
};

// The loop's side of it: call before_sample() before and after_sample()
// after each measured sample, and at_end() when the loop ends.
class DriftControl {
 public:
  DriftControl(std::uint64_t every, std::function<std::uint64_t()> measure)
      : every_(every), measure_(std::move(measure)) {}
  void before_sample(std::uint64_t finished, double at_s) {
    if (readings_.empty()) take(finished, at_s);
  }
  void after_sample(std::uint64_t finished, double at_s) {
    if (control_due_after(finished, every_)) take(finished, at_s);
  }
  void at_end(std::uint64_t finished, double at_s) {
    if (!readings_.empty() && readings_.back().sample != finished) take(finished, at_s);
  }
  std::uint64_t every() const { return every_; }
  const std::vector<ControlReading>& readings() const { return readings_; }
  double seconds() const { return seconds_; }  // spent taking readings

 private:
  void take(std::uint64_t finished, double at_s);
  std::uint64_t every_;
  std::function<std::uint64_t()> measure_;
  std::vector<ControlReading> readings_;
  double seconds_ = 0;
};

// meta.json's "control" at a segment's start: what (`point`:
// ControlPoint::describe()) and how often, and the earlier segments' series
// from the resumed run's meta.json (`previous`, nullptr for a new run).
nlohmann::json control_meta(const nlohmann::json& point, std::uint64_t every,
                            const nlohmann::json* previous);
// Adds this segment's readings (segment = how many resumes meta.json
// lists) to meta["control"]; calling it again replaces them.
void record_control(nlohmann::json& meta, const DriftControl& control, double wall_s);

}  // namespace zs
