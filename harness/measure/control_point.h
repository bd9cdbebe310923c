// The drift control's measurement: one 2 MiB extent zero, with the primitive
// the running kernel's clear_page() uses, of one buffer that stays mapped,
// pre-faulted and 2 MiB-aligned for the whole run. It measures the machine,
// not a strategy: the same work at every call, so a change in its time
// between the start and the end of a sweep (or between two runs) is the
// machine moving (frequency, a noisy neighbour, the host), not an effect.
// The executor does the zeroing, as it does for every sample.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "measure/phase_meter.h"
#include "memory/mapping.h"
#include "primitives/registry.h"
#include "strategies/plan.h"

namespace zs {

class ControlPoint {
 public:
  static constexpr std::uint64_t kBytes = 2ull << 20;

  // Maps, advises huge pages and pre-faults the buffer; throws SetupError
  // when the kernel's primitive cannot run over it.
  ControlPoint();

  // Timed zeros per reading; the reading is the fastest, so a zero that an
  // interrupt or a preemption lengthened does not move it (interference only
  // adds time; a slower machine slows every zero).
  static constexpr int kTimed = 2;

  // One reading, in ns: an untimed zero first, so the buffer is warm (in
  // the cache) whatever the samples before it evicted, then the fastest of
  // kTimed timed ones.
  std::uint64_t measure() {
    execute_once();
    std::uint64_t best = ~std::uint64_t(0);
    for (int i = 0; i < kTimed; ++i) {
      meter_.start();
      execute_once();
      best = std::min(best, meter_.stop().ns);
    }
    return best;
  }

  std::string_view primitive_name() const { return prim_->name(); }
  // Whether THP backs the buffer (smaps), at construction; false when unknown.
  bool huge() const { return huge_; }
  // For meta.json: {what (one sentence), primitive, bytes, thp}.
  nlohmann::json describe() const;

 private:
  void execute_once();
  Mapping map_;
  const Primitive* prim_ = nullptr;
  Plan plan_;
  PhaseMeter meter_;
  bool huge_ = false;
};

}  // namespace zs
