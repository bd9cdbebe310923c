#include "measure/experiment.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/errors.h"
#include "common/units.h"
#include "measure/executor.h"
#include "measure/fault_tracer.h"
#include "measure/residency_calibration.h"
#include "measure/shootdown.h"
#include "platform/platform.h"

namespace zs {

PoolSource pool_source(const Point& p) {
  const Strategy* st = p.kernel_fault() ? nullptr : p.strategy.plan();
  StrategyParams one;
  one.nr_pages = 1;
  return st != nullptr && st->plan(one).aliased() ? PoolSource::memfd : PoolSource::anonymous;
}

PointRunner::PointRunner(const Point& point, FolioPool& pool, std::uint64_t seed,
                         CounterSet* counters)
    : point_(point),
      pool_(pool),
      seed_(seed),
      rng_(seed),
      access_seed_(seed ^ 0x9e3779b97f4a7c15ull),
      counters_(counters),
      meter_(counters) {
  if (pool.backing() != point.backing || pool.folio_bytes() != point.folio_bytes)
    throw SetupError("internal: point and pool differ in backing or folio size");
  if (!point.kernel_fault()) {
    strategy_ = point.strategy.plan();
    if (strategy_ == nullptr)
      throw SetupError(fmt::format("strategy: unknown '{}'; allowed: {}, {}", point.strategy.name(),
                                   fmt::join(strategy_names(), ", "), kKernelFault));
    prim_ = point.primitive.entry();
    if (prim_ == nullptr)
      throw SetupError(fmt::format("primitive: unknown '{}'; allowed: {}", point.primitive.name(),
                                   fmt::join(PrimitiveRegistry::get().names(), ", ")));
    if (!prim_->available)
      throw SetupError(
          fmt::format("primitive '{}' is not available on this CPU: {}; see 'zeroscope primitives'",
                      prim_->name(), prim_->why));
  }
  if (point.cache == CacheState::cold && point.evict == Evict::clflush &&
      platform::flush_name().empty())
    throw SetupError(
        "evict clflush: this architecture has no cache flush instruction here; use evict pool");
  std::mt19937_64 probe(0);
  if (!resolve_target(point.target, pool.nr_pages(), pool.page_bytes(), probe))
    throw SetupError(fmt::format("target {} lies outside a {} folio of {} pages",
                                 point.target.name(), exact_size(pool.folio_bytes()),
                                 pool.nr_pages()));
  if (!point.kernel_fault()) {
    // Fails here, not in the loop, if the plan cannot run over this pool.
    retarget(*resolve_target(point.target, pool.nr_pages(), pool.page_bytes(), probe));
    const bool memfd = pool.source() == PoolSource::memfd;
    if (auto why = check_executable(plan_, *prim_, pool.folio(0), pool.folio_bytes(),
                                    pool.page_bytes(), memfd))
      throw SetupError(*why);
    if (plan_.aliased()) alias_ = make_alias_window(pool);
    current_.reset();
  }
}

void PointRunner::retarget(const Target& t) {
  if (current_ && current_->page == t.page && current_->page_offset == t.page_offset) return;
  current_ = t;
  if (strategy_ != nullptr) {
    StrategyParams p;
    p.nr_pages = pool_.nr_pages();
    p.target = t.page;
    p.width = point_.width;
    p.batch = strategy_->uses_batch ? point_.batch : 0;
    p.page_size = pool_.page_bytes();
    plan_ = strategy_->plan(p);
  }
  access_plan_ = make_access_plan(point_.access, pool_.folio_bytes(), pool_.page_bytes(),
                                  t.page * pool_.page_bytes() + t.page_offset,
                                  platform::cache_line_bytes(), access_seed_);
}

void PointRunner::set_fault_tracer(FaultTracer* tracer) {
  tracer_ = point_.kernel_fault() ? tracer : nullptr;
  if (tracer_ == nullptr) return;
  untraced_ = tracer_->available() ? FaultTracer::untraceable(point_.backing) : tracer_->why();
}

void PointRunner::set_host_reporting(unsigned order, double wait_s) {
  if (point_.memory == Memory::host_reported) give_back_.emplace(pool_, order, wait_s);
}

void PointRunner::access_phase(Sample& s, std::byte* folio) {
  if (point_.access.pattern != AccessPattern::residency) {
    meter_.start();
    s.sink = run_access(access_plan_, folio);
    s.access = meter_.stop();
    return;
  }
  if (residency_ == nullptr) throw SetupError("internal: residency probe without its calibration");
  // A fresh permutation per sample, drawn before the probe.
  const ResidencyPlan plan =
      make_residency_plan(pool_.folio_bytes(), pool_.page_bytes(), platform::cache_line_bytes(),
                          kResidencyLinesPerPage, access_seed_ + s.rep);
  residency_ticks_.resize(plan.offsets.size());
  meter_.start();
  run_residency_probe(plan, folio, residency_ticks_.data());
  s.access = meter_.stop();
  s.residency_ns =
      page_latencies(plan, residency_ticks_, residency_->overhead_ticks, residency_->ns_per_tick);
}

Sample PointRunner::run(std::uint32_t rep) {
  Sample s;
  s.rep = rep;
  rng_.seed(seed_ ^ (0x9e3779b97f4a7c15ull * (std::uint64_t(rep) + 1)));
  const Target t = *resolve_target(point_.target, pool_.nr_pages(), pool_.page_bytes(), rng_);
  retarget(t);
  s.target_page = t.page;
  const std::size_t i = pool_.next();
  std::byte* folio = pool_.folio(i);
  // Metrics that do not fit the PMU at once rotate through passes, one pass
  // per sample (recorded in the sample's counter values).
  if (counters_ != nullptr && counters_->passes() > 1)
    counters_->set_pass(rep % counters_->passes());

  if (point_.memory == Memory::host_reported && !give_back_)
    throw SetupError("internal: a host-reported point without its reporting order and wait");
  if (give_back_) give_back_->give_back(i);  // discards i too, waits, re-populates the others

  if (point_.kernel_fault()) {
    if (!give_back_)
      pool_.discard(i);
    else
      s.settle = settle_own_pages();
    // The fallback verification for THP when pagemap cannot be read: the
    // vmstat fault counters around the one fault (other processes' faults
    // could blur it on a busy machine; the detail says which method spoke).
    const bool anon_huge = point_.backing == Backing::thp || point_.backing == Backing::mthp;
    std::optional<ThpFaultCounters> before;
    if (anon_huge && pool_.verify_method() != BackingMethod::kpageflags)
      before = read_thp_fault_counters();
    volatile auto* hint = reinterpret_cast<volatile unsigned char*>(
        folio + t.page * pool_.page_bytes() + t.page_offset);
    const bool trace = tracer_ != nullptr && untraced_.empty();
    if (trace) tracer_->enable(point_.backing == Backing::mthp);  // ioctls outside the window
    meter_.start();
    *hint = 1;  // a write fault: a read would map the (huge) zero page instead
    s.fault = meter_.stop();
    // The fault's window before the access phase reuses the meter; the ring
    // is read after it, so the access right after the fault finds the cache
    // as the fault left it.
    const FaultWindow window{static_cast<std::uint32_t>(trace ? tracer_->tid() : 0),
                             meter_.started_ns(), meter_.stopped_ns(),
                             folio_order(pool_.folio_bytes(), pool_.page_bytes())};
    if (trace) tracer_->disable();
    access_phase(s, folio);
    if (trace)
      s.anatomy = tracer_->collect(window);
    else if (tracer_ != nullptr)
      s.anatomy = unformed(untraced_);
    s.backing = pool_.reverify(i);
    if (counters_ != nullptr && !counters_->kernel_counting()) {
      s.counters_withheld = true;
      s.fault->counters.valid = 0;
    }
    if (!s.backing.verified && before) {
      if (auto after = read_thp_fault_counters()) {
        s.backing.verified = true;
        s.backing.huge = after->fault_alloc > before->fault_alloc &&
                         after->fault_fallback == before->fault_fallback;
        s.backing.detail = fmt::format("vmstat thp_fault_alloc +{}, thp_fault_fallback +{}",
                                       after->fault_alloc - before->fault_alloc,
                                       after->fault_fallback - before->fault_fallback);
      }
    }
    return s;
  }

  if (give_back_) {  // the replica's folio, present again (the host's refault not timed)
    pool_.populate(i);
    pool_.reverify(i);
    s.settle = settle_own_pages();
  }
  if (alias_) {
    alias_zero(s, i);
  } else if (record_batches_) {
    prepare_cache_state(point_.cache, point_.evict, folio, pool_.folio_bytes());
    std::uint64_t last = 0, worst = 0;
    std::uint32_t batches = 0;
    meter_.start();
    last = platform::timestamp();
    execute(plan_, prim_->fn(), folio, pool_.page_bytes(), [&] {
      const std::uint64_t now = platform::timestamp();
      worst = std::max(worst, now - last);
      last = now;
      ++batches;
    });
    const std::uint64_t end = platform::timestamp();
    s.zero = meter_.stop();
    s.batch_max_ticks = std::max(worst, end - last);
    s.batches = batches + 1;
  } else {
    prepare_cache_state(point_.cache, point_.evict, folio, pool_.folio_bytes());
    meter_.start();
    execute(plan_, prim_->fn(), folio, pool_.page_bytes());
    s.zero = meter_.stop();
  }
  access_phase(s, folio);
  s.backing = pool_.check(i);
  return s;
}

void PointRunner::alias_zero(Sample& s, std::size_t i) {
  std::optional<ShootdownSibling> sibling;
  if (shootdown_cpu_ >= 0) sibling.emplace(shootdown_cpu_);
  const std::uint64_t off = pool_.file_offset(i);
  alias_->release();
  const std::uint64_t t0 = monotonic_ns();
  s.alias_errno =
      execute_aliased(plan_, prim_->fn(), *alias_, off, pool_.page_bytes(), false, [] {});
  if (s.alias_errno == 0) s.alias_map_ns = monotonic_ns() - t0;
  alias_->hold();
  prepare_cache_state(point_.cache, point_.evict, pool_.folio(i), pool_.folio_bytes());
  alias_->release();
  meter_.start();
  const int e = execute_aliased(plan_, prim_->fn(), *alias_, off, pool_.page_bytes(), true, [] {});
  s.zero = meter_.stop();
  alias_->hold();
  if (s.alias_errno == 0) s.alias_errno = e;
}

}  // namespace zs
