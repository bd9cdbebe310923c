// The fault experiment, one sample at a time: take a folio, put it in the
// cache state asked for, zero it with a strategy and primitive for target
// page T (or let the kernel's own fault path do it: strategy kernel-fault),
// then run the faulting program's access pattern. Phases are measured
// separately through the PhaseMeter, with nothing between them but the
// meter's reads; everything else (plans, targets, verification) happens
// outside the measured phases.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "measure/access.h"
#include "measure/alias_executor.h"
#include "measure/fault_anatomy.h"
#include "measure/host_reported.h"
#include "measure/phase_meter.h"
#include "measure/residency.h"
#include "measure/target.h"
#include "measure/zeroing_primitive.h"
#include "measure/zeroing_strategy.h"
#include "memory/backing.h"
#include "memory/cache_state.h"
#include "memory/folio_pool.h"
#include "memory/own_pages.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"

namespace zs {

class FaultTracer;
struct ResidencyCalibration;

struct Point {
  Backing backing = Backing::thp;
  std::uint64_t folio_bytes = 2u << 20;
  ZeroingStrategy strategy = "upstream";
  ZeroingPrimitive primitive = kKernelAlias;
  TargetSpec target;
  AccessSpec access;
  CacheState cache = CacheState::cold;
  Evict evict = Evict::pool;
  std::uint64_t width = kUpstreamWidth;
  std::uint64_t batch = 0;  // 0 = whole range
  Memory memory = Memory::recycled;

  bool kernel_fault() const { return strategy.kernel_fault(); }
};

// Where the point's folios must come from: a memfd when its strategy's plan
// is aliased (zeroed through a second mapping), anonymous memory otherwise.
PoolSource pool_source(const Point& p);

struct Sample {
  std::uint32_t rep = 0;
  std::uint64_t target_page = 0;
  std::optional<PhaseReading> zero;    // user-space strategies
  std::optional<PhaseReading> fault;   // kernel-fault: allocation + zeroing + mapping
  std::optional<PhaseReading> access;  // always (empty pattern: a near-zero reading)
  BackingCheck backing;
  std::uint64_t sink = 0;  // what the access phase read, so it is not elided
  // kernel-fault without kernel-mode counting: the counts would only see
  // the user side of a fault that happens in the kernel; left out, and why.
  bool counters_withheld = false;
  // With record_batches: the longest stretch of the zero phase between two
  // preemption points (what a cooperative kernel's scheduler would wait),
  // in ticks of platform::timestamp(), and how many batches there were.
  std::uint64_t batch_max_ticks = 0;
  std::uint32_t batches = 0;
  // kernel-fault: where the fault's time went (measure/fault_tracer.h), or
  // why that is not known; none without a tracer.
  std::optional<FaultAnatomy> anatomy;
  // access = residency: each page's load latency in ns (measure/residency.h).
  std::vector<float> residency_ns;
  // Aliased plans: the same map/unmap sequence without the clears, timed
  // outside the zero phase; and the errno of a map or unmap that failed
  // (the sample is then left out).
  std::optional<std::uint64_t> alias_map_ns;
  int alias_errno = 0;
  // Host-reported memory: the harness's own pages touched after the report
  // cycle, before the timed phase (memory/own_pages.h); none on recycled.
  std::optional<SettleResult> settle;
};

class PointRunner {
 public:
  // Validates the point against the pool and this CPU; throws SetupError
  // naming what is wrong (unknown strategy or primitive, unavailable
  // primitive, target outside the folio).
  PointRunner(const Point& point, FolioPool& pool, std::uint64_t seed,
              CounterSet* counters = nullptr);

  // Sample `rep`: its random draws (a random target) depend only on the
  // seed and rep, so a resumed sweep takes the same samples.
  Sample run(std::uint32_t rep);
  // Time every batch of the zero phase (a timestamp at each preemption
  // point). Off by default: the timestamps perturb the phase they measure.
  void set_record_batches(bool on) { record_batches_ = on; }
  // kernel-fault points: trace each fault through `tracer` (or record why
  // not); null: no fault anatomy.
  void set_fault_tracer(FaultTracer* tracer);
  // access = residency: the probe's scale (required before run()).
  void set_residency(const ResidencyCalibration* c) { residency_ = c; }
  // memory = host-reported: the reporting order and the wait before each
  // fault or re-population (required before run(); measure/host_reported.h).
  void set_host_reporting(unsigned order, double wait_s);
  // Aliased plans: keep a sibling thread spinning on `cpu` during each
  // sample (the shootdown setting); -1: none.
  void set_shootdown_cpu(int cpu) { shootdown_cpu_ = cpu; }
  const Point& point() const { return point_; }
  // The real name of the primitive ("kernel" resolved), for the record.
  std::string_view primitive_name() const { return prim_ ? prim_->name() : "kernel"; }

 private:
  void retarget(const Target& t);
  // The access phase, or the residency probe in its place.
  void access_phase(Sample& s, std::byte* folio);
  // The zero phase of an aliased plan, and its mapping-only twin before it.
  void alias_zero(Sample& s, std::size_t folio);

  Point point_;
  FolioPool& pool_;
  const Primitive* prim_ = nullptr;
  const Strategy* strategy_ = nullptr;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  std::uint64_t access_seed_;
  std::optional<Target> current_;
  Plan plan_;
  AccessPlan access_plan_;
  CounterSet* counters_ = nullptr;
  bool record_batches_ = false;
  FaultTracer* tracer_ = nullptr;
  std::string untraced_;  // with a tracer: why this point's faults get no spans
  PhaseMeter meter_;
  const ResidencyCalibration* residency_ = nullptr;
  std::vector<std::uint64_t> residency_ticks_;
  std::optional<HostReportedGiveBack> give_back_;
  std::unique_ptr<AliasWindow> alias_;
  int shootdown_cpu_ = -1;
};

}  // namespace zs
