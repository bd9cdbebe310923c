#include "sweep/sweep_session.h"
#include "sweep/point_parameters.h"

#include <algorithm>
#include <random>
#include <tuple>

#include "common/clock.h"
#include "counters/counter_set.h"
#include "measure/control_point.h"
#include "measure/shootdown.h"
#include "sweep/memory_axis.h"
#include "sweep/sample_rows.h"

namespace zs {

std::string_view to_string(RunStatus s) {
  switch (s) {
    case RunStatus::complete:
      return "complete";
    case RunStatus::interrupted:
      return "interrupted";
    case RunStatus::time_budget:
      return "time budget reached";
    case RunStatus::failed:
      return "failed";
  }
  return "";
}

bool SweepSession::PoolKey::operator<(const PoolKey& o) const {
  return std::tie(backing, bytes, source, memory) <
         std::tie(o.backing, o.bytes, o.source, o.memory);
}

SweepSession::PoolKey SweepSession::pool_key(const Point& p) {
  return {p.backing, p.folio_bytes, pool_source(p), p.memory};
}

SweepSession::SweepSession(const std::vector<Point>& points, const SweepSettings& set,
                           const SessionOptions& opt)
    : points_(points), settings_(set) {
  for (const Point& p : points_) keys_.push_back(point_key(p));
  allowed_cpus_ = affinity_cpus();
  placement = apply_placement(set.cpu, set.node);
  const int sibling = set.shootdown && std::any_of(points_.begin(), points_.end(),
                                                   [](const Point& p) {
                                                     return pool_source(p) == PoolSource::memfd;
                                                   })
                          ? sibling_cpu(allowed_cpus_, placement.cpu)
                          : -1;
  llc = detect_llc(set.llc_size, set.llc_size.has_value());
  if (opt.counters) {
    events = select_events(set.events);
    pmu = probe_pmu_access();
    counters_ =
        std::make_unique<CounterSet>(events->file, pmu, CounterSet::Options{set.metrics, true});
  }
  tsc = tsc_info();
  for (const Point& p : points_) {
    const PoolKey k = pool_key(p);
    if (pools_.count(k)) continue;
    // Warm points reuse a folio at once; cold ones need the pool to
    // outsize the LLC so round-robin use evicts each folio before reuse.
    const bool all_warm = std::all_of(points_.begin(), points_.end(), [&](const Point& q) {
      return pool_key(q) < k || k < pool_key(q) || q.cache == CacheState::warm;
    });
    const std::size_t count =
        std::max(set.pool   ? set.pool
                 : all_warm ? 2
                            : cold_pool_folios(llc.bytes, p.folio_bytes),
                 k.memory == Memory::host_reported
                     ? host_reported_pool_min(points_, p.backing, p.folio_bytes)
                     : std::size_t{0});
    pools_[k] = std::make_unique<FolioPool>(p.backing, p.folio_bytes, count, opt.pools, k.source);
  }
  if (std::any_of(points_.begin(), points_.end(),
                  [](const Point& p) { return p.access.pattern == AccessPattern::residency; }))
    residency = calibrate_residency(residency_cache_sizes(llc.bytes), tsc.hz.value_or(0));
  for (std::size_t i = 0; i < points_.size(); ++i) {
    runners_.push_back(std::make_unique<PointRunner>(points_[i], *pools_[pool_key(points_[i])],
                                                     set.seed + i, counters_.get()));
    runners_.back()->set_record_batches(set.record_batches);
    runners_.back()->set_shootdown_cpu(sibling);
    if (residency) runners_.back()->set_residency(&*residency);
    arm_host_reported(*runners_.back(), set);
  }
  std::vector<AccessUse> uses;  // meta.json's access_sensitivity (measure/access_sensitivity.h)
  for (const Point& p : points_) uses.push_back({p.access, p.target, pools_[pool_key(p)].get()});
  access_sensitivity = measure_access_sensitivity(uses);
  control_point_ = std::make_unique<ControlPoint>();
  drift_ = std::make_unique<DriftControl>(control_every(points_, points_.size() * set.repetitions),
                                          [cp = control_point_.get()] { return cp->measure(); });
  start_fault_anatomy();
  PhaseMeter plain, with_counters(counters_.get());
  timing_overhead = measure_meter_overhead(plain);
  counter_overhead = measure_meter_overhead(with_counters);
}

SweepSession::~SweepSession() = default;

void SweepSession::start_fault_anatomy() {
  auto fault = std::find_if(points_.begin(), points_.end(), [](const Point& p) {
    return p.kernel_fault() && FaultTracer::untraceable(p.backing).empty();
  });
  if (std::none_of(points_.begin(), points_.end(), [](const Point& p) { return p.kernel_fault(); }))
    return;
  fault_tracer = std::make_unique<FaultTracer>();
  for (auto& r : runners_) r->set_fault_tracer(fault_tracer.get());
  if (fault != points_.end())
    tracing_cost = measure_tracing_cost(*pools_[pool_key(*fault)], *fault_tracer);
}

std::string_view SweepSession::primitive_name(std::size_t i) const {
  // None where no primitive applies: kernel-fault (the kernel zeroes) and
  // prezeroed (nothing is cleared).
  return applies(points_[i]).primitive ? runners_[i]->primitive_name() : std::string_view();
}

nlohmann::json SweepSession::control_point() const { return control_point_->describe(); }

SamplesLayout SweepSession::layout() const { return samples_layout(counters_.get()); }

std::vector<const FolioPool*> SweepSession::pools() const {
  std::vector<const FolioPool*> v;
  for (const auto& [k, pool] : pools_) v.push_back(pool.get());
  return v;
}

RunStatus SweepSession::measure(const std::set<std::pair<std::string, std::uint64_t>>& done,
                                const Sink& sink, SweepObserver& observer) {
  const SweepSettings& set = settings_;
  const std::uint64_t total = points_.size() * set.repetitions;
  const RowContext ctx{counters_.get(), tsc.hz, set.record_batches};
  const double t0 = monotonic_seconds();
  std::uint64_t finished = done.size(), this_run = 0;
  // The drift control's last reading, however the loop ends.
  auto end = [&](RunStatus st) {
    drift_->at_end(finished, monotonic_seconds() - t0);
    return st;
  };

  for (std::uint64_t w = 0; w < set.warmup && !observer.stop_requested(); ++w)
    for (auto& r : runners_) r->run(static_cast<std::uint32_t>(1000000 + w));
  std::vector<std::size_t> order(points_.size());
  for (std::uint64_t rep = 0; rep < set.repetitions; ++rep) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    // The same order on every resume; a replicate's own (order_seed).
    std::mt19937_64 rng(set.order_seed.value_or(set.seed) * 1000003 + rep);
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i : order) {
      if (observer.stop_requested()) return end(RunStatus::interrupted);
      if (set.time_budget_s && monotonic_seconds() - t0 > *set.time_budget_s)
        return end(RunStatus::time_budget);
      if (done.count({keys_[i], rep})) continue;
      drift_->before_sample(finished, monotonic_seconds() - t0);
      const Sample s = runners_[i]->run(static_cast<std::uint32_t>(rep));
      const std::string left_out = left_out_reason(points_[i], s);
      if (residency_sink && left_out.empty() && !s.residency_ns.empty())
        residency_sink(i, static_cast<std::uint32_t>(rep), s.residency_ns);
      sink(i, sample_rows(points_[i], keys_[i], primitive_name(i), s, ctx, left_out));
      ++finished;
      ++this_run;
      drift_->after_sample(finished, monotonic_seconds() - t0);
      observer.sample_done(finished, total, this_run, monotonic_seconds() - t0);
    }
  }
  return end(RunStatus::complete);
}

}  // namespace zs
