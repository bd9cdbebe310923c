// The machine set up for a list of points, and the measuring loop: what
// `run` (into a results directory) and `measure` (a table, optionally a
// samples file) share. Set-up places the thread, finds the LLC, opens the
// counters, sizes one pool per (backing, folio size) and checks every
// point against it, so every refusal comes before the first sample. The
// loop takes warm-up samples, then each repetition's points in a seeded
// random order (the same on every resume, so drift does not bias one
// strategy), and hands each sample's rows, with their left_out reason, to
// a sink as it finishes. Between samples it takes the drift control's
// readings (sweep/drift_control.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "counters/counters.h"
#include "counters/event_selection.h"
#include "machine/placement.h"
#include "machine/tsc.h"
#include "measure/access_sensitivity.h"
#include "measure/fault_tracer.h"
#include "measure/residency_calibration.h"
#include "measure/tracing_cost.h"
#include "memory/cache_state.h"
#include "results/samples_schema.h"
#include "sweep/drift_control.h"
#include "sweep/sweep_config.h"

namespace zs {

class CounterSet;
class ControlPoint;

// How a measuring loop ended; failed: results could not be written.
enum class RunStatus { complete, interrupted, time_budget, failed };
// "complete", "interrupted", "time budget reached", "failed" (meta.json's status).
std::string_view to_string(RunStatus s);

// What the loop reports while it runs, and how it is asked to stop.
class SweepObserver {
 public:
  virtual ~SweepObserver() = default;
  // Checked before each sample: true stops after the current one.
  virtual bool stop_requested() { return false; }
  // After each sample: samples finished of `total` (earlier runs' included),
  // this_run of them now, in elapsed_s seconds.
  virtual void sample_done(std::uint64_t /*finished*/, std::uint64_t /*total*/,
                           std::uint64_t /*this_run*/, double /*elapsed_s*/) {}
};

struct SessionOptions {
  PoolOptions pools;
  bool counters = true;  // false: time only, no perf_event fds
};

class SweepSession {
 public:
  SweepSession(const std::vector<Point>& points, const SweepSettings& settings,
               const SessionOptions& opt);
  ~SweepSession();
  SweepSession(const SweepSession&) = delete;
  SweepSession& operator=(const SweepSession&) = delete;

  using Sink = std::function<void(std::size_t point, std::vector<SampleRow> rows)>;
  // Measures every (point, rep) not in `done` (point key, rep); stops
  // early when the observer asks or the settings' time budget is spent.
  RunStatus measure(const std::set<std::pair<std::string, std::uint64_t>>& done, const Sink& sink,
                    SweepObserver& observer);

  const std::vector<Point>& points() const { return points_; }
  const std::vector<std::string>& keys() const { return keys_; }
  std::string_view primitive_name(std::size_t point) const;  // "" for kernel-fault
  SamplesLayout layout() const;

  Placement placement;
  LlcInfo llc;
  std::optional<SelectedEvents> events;  // set with counters
  PmuAccess pmu;
  TscInfo tsc;
  MeterOverhead timing_overhead, counter_overhead;
  // With kernel-fault points: their tracepoints, and what tracing costs a fault.
  std::unique_ptr<FaultTracer> fault_tracer;
  std::optional<TracingCost> tracing_cost;
  // With residency points: the probe's calibration, and where each kept
  // sample's page latencies go (called before the sample's rows are sunk).
  std::optional<ResidencyCalibration> residency;
  std::function<void(std::size_t point, std::uint32_t rep, const std::vector<float>& ns)>
      residency_sink;
  // Each access pattern's cost hot against cold, measured at set-up.
  std::vector<AccessSensitivity> access_sensitivity;
  const CounterSet* counters() const { return counters_.get(); }
  std::vector<const FolioPool*> pools() const;
  // The drift control: its readings of this segment, and what it measures.
  const DriftControl& control() const { return *drift_; }
  nlohmann::json control_point() const;  // ControlPoint::describe()

 private:
  void start_fault_anatomy();
  // A memfd pool (aliased strategies) is never shared with anonymous ones,
  // nor a host-reported point's pool with recycled points: its folios are
  // given back and come back from the host (refaulted, possibly in smaller
  // host pages), which would change what a recycled point measures.
  struct PoolKey {
    Backing backing;
    std::uint64_t bytes;
    PoolSource source = PoolSource::anonymous;
    Memory memory = Memory::recycled;
    bool operator<(const PoolKey& o) const;
  };
  static PoolKey pool_key(const Point& p);
  std::vector<Point> points_;
  std::vector<std::string> keys_;
  SweepSettings settings_;
  std::unique_ptr<CounterSet> counters_;
  std::map<PoolKey, std::unique_ptr<FolioPool>> pools_;
  std::vector<std::unique_ptr<PointRunner>> runners_;
  std::unique_ptr<ControlPoint> control_point_;
  std::unique_ptr<DriftControl> drift_;
  std::vector<int> allowed_cpus_;  // before pinning: the shootdown sibling's choice
};

}  // namespace zs
