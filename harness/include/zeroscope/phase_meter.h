// The one measurement interface every phase goes through: start() and
// stop() around the phase, a reading out. Here each phase is timed in
// nanoseconds (CLOCK_MONOTONIC) and in ticks of the CPU's constant-rate
// counter (TSC / cntvct); hardware counters join the reading through the
// same two calls. Inline and allocation-free: it brackets measured code.
#pragma once

#include <time.h>

#include <cstdint>

#include "platform/platform.h"

namespace zs {

struct PhaseReading {
  std::uint64_t ns = 0;
  std::uint64_t tsc = 0;  // 0 only where the architecture has no counter
};

class PhaseMeter {
 public:
  void start() {
    clock_gettime(CLOCK_MONOTONIC, &t0_);
    tsc0_ = platform::timestamp();
  }
  PhaseReading stop() {
    // The counter first: it serialises, so the clock read that follows
    // cannot overlap the phase.
    std::uint64_t tsc1 = platform::timestamp();
    timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    PhaseReading r;
    r.ns = std::uint64_t(t1.tv_sec - t0_.tv_sec) * 1000000000ull + std::uint64_t(t1.tv_nsec) -
           std::uint64_t(t0_.tv_nsec);
    r.tsc = tsc1 - tsc0_;
    return r;
  }

 private:
  timespec t0_{};
  std::uint64_t tsc0_ = 0;
};

}  // namespace zs
