// The one measurement interface every phase goes through: start() and
// stop() around the phase, a reading out. Here each phase is timed in
// nanoseconds (CLOCK_MONOTONIC) and in ticks of the CPU's constant-rate
// counter (TSC / cntvct); hardware counters join the reading through the
// same two calls. Inline and allocation-free: it brackets measured code.
#pragma once

#include <time.h>

#include <cstdint>

#include "counters/counter_set.h"
#include "platform/platform.h"

namespace zs {

struct PhaseReading {
  std::uint64_t ns = 0;
  std::uint64_t tsc = 0;   // 0 only where the architecture has no counter
  CounterValues counters;  // empty (valid == 0) without a CounterSet
};

class PhaseMeter {
 public:
  explicit PhaseMeter(CounterSet* counters = nullptr) : counters_(counters) {}
  CounterSet* counters() const { return counters_; }

  // Counters open outside the clock reads, so the phase's time does not
  // include their system calls; their counts include the clock reads,
  // which cost a few hundred instructions at most.
  void start() {
    if (counters_ != nullptr) counters_->start();
    clock_gettime(CLOCK_MONOTONIC, &t0_);
    tsc0_ = platform::timestamp();
  }
  PhaseReading stop() {
    // The counter first: it serialises, so the clock read that follows
    // cannot overlap the phase.
    std::uint64_t tsc1 = platform::timestamp();
    clock_gettime(CLOCK_MONOTONIC, &t1_);
    PhaseReading r;
    r.ns = stopped_ns() - started_ns();
    r.tsc = tsc1 - tsc0_;
    if (counters_ != nullptr) counters_->stop(r.counters);
    return r;
  }

  // The last phase's clock reads, in ns of CLOCK_MONOTONIC (what the fault
  // anatomy compares its tracepoint times with).
  std::uint64_t started_ns() const { return ns_of(t0_); }
  std::uint64_t stopped_ns() const { return ns_of(t1_); }

 private:
  static std::uint64_t ns_of(const timespec& t) {
    return std::uint64_t(t.tv_sec) * 1000000000ull + std::uint64_t(t.tv_nsec);
  }
  CounterSet* counters_ = nullptr;
  timespec t0_{}, t1_{};
  std::uint64_t tsc0_ = 0;
};

}  // namespace zs

namespace zs {

// The cost of an empty phase through this meter (counters included), as a
// median over `n` tries: recorded with every run so that a reader can judge
// the smallest phase that means something.
struct MeterOverhead {
  double ns = 0;        // median wall time of an empty start/stop, counter syscalls included
  double phase_ns = 0;  // median of what an empty phase itself reports
};
MeterOverhead measure_meter_overhead(PhaseMeter& meter, int n = 501);

}  // namespace zs
