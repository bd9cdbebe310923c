// The drift control's measurement: one 2 MiB extent zero, with the primitive
// the running kernel's clear_page() uses, of one buffer that stays mapped,
// pre-faulted and 2 MiB-aligned for the whole run. It measures the machine,
// not a strategy: the same work at every call, so a change in its time
// between the start and the end of a sweep (or between two runs) is the
// machine moving (frequency, a noisy neighbour, the host), not an effect.
// The executor does the zeroing, as it does for every sample.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

  // One reading, in ns: an untimed zero first, so the buffer is warm (in
  // the cache) whatever the samples before it evicted, then a timed one.
  std::uint64_t measure() {
    execute_once();
    meter_.start();
    execute_once();
    return meter_.stop().ns;
  }

  std::string_view primitive_name() const { return prim_->name(); }
  // Whether THP backs the buffer (smaps), at construction; false when unknown.
  bool huge() const { return huge_; }
  // One sentence for meta.json: what is measured, with which primitive.
  std::string what() const;

 private:
  void execute_once();
  Mapping map_;
  const Primitive* prim_ = nullptr;
  Plan plan_;
  PhaseMeter meter_;
  bool huge_ = false;
};

}  // namespace zs
