#include "measure/tracing_cost.h"

#include <time.h>

#include <vector>

#include <fmt/format.h>

#include "common/units.h"
#include "measure/fault_tracer.h"
#include "memory/folio_pool.h"
#include "stats/stats.h"

namespace zs {

namespace {

std::uint64_t now_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return std::uint64_t(t.tv_sec) * 1000000000ull + std::uint64_t(t.tv_nsec);
}

// One fault on a folio just given back; the tracer's ioctls outside the clock reads.
double one_fault(FolioPool& pool, FaultTracer* tracer) {
  const std::size_t i = pool.next();
  pool.discard(i);
  volatile auto* p = reinterpret_cast<volatile unsigned char*>(pool.folio(i));
  if (tracer != nullptr) tracer->enable(pool.backing() == Backing::mthp);
  const std::uint64_t t0 = now_ns();
  *p = 1;
  const std::uint64_t t1 = now_ns();
  if (tracer != nullptr) {
    tracer->disable();
    tracer->take();
  }
  return double(t1 - t0);
}

}  // namespace

std::optional<TracingCost> measure_tracing_cost(FolioPool& pool, FaultTracer& tracer,
                                                std::uint32_t faults) {
  if (!tracer.available() || !FaultTracer::untraceable(pool.backing()).empty()) return std::nullopt;
  std::vector<double> with, without;
  one_fault(pool, &tracer);  // the first of each kind warms its code paths
  one_fault(pool, nullptr);
  for (std::uint32_t k = 0; k < faults; ++k) {
    const bool traced_first = k % 2 == 0;
    for (int side = 0; side < 2; ++side) {
      const bool traced = (side == 0) == traced_first;
      (traced ? with : without).push_back(one_fault(pool, traced ? &tracer : nullptr));
    }
  }
  TracingCost c;
  c.backing = to_string(pool.backing());
  c.folio_size = pool.folio_bytes();
  c.faults = faults;
  c.traced_median_ns = stats::percentile(with, 0.5);
  c.untraced_median_ns = stats::percentile(without, 0.5);
  c.ratio = c.untraced_median_ns > 0 ? c.traced_median_ns / c.untraced_median_ns : 0;
  return c;
}

nlohmann::json to_json(const TracingCost& c) {
  return {{"backing", c.backing},
          {"folio_size", c.folio_size},
          {"faults_each", c.faults},
          {"order", "interleaved ABBA, each fault on a folio given back just before"},
          {"untraced_median_ns", c.untraced_median_ns},
          {"traced_median_ns", c.traced_median_ns},
          {"ratio", c.ratio},
          {"limit", kTracingCostLimit}};
}

std::string tracing_cost_warning(const TracingCost& c) {
  if (c.ratio <= kTracingCostLimit) return "";
  return fmt::format(
      "fault anatomy: tracing makes a {} {} fault {:.1f}% slower (median {:.1f} us traced, "
      "{:.1f} us not; {} faults each), above the {:.0f}% the fault times may carry",
      c.backing, exact_size(c.folio_size), (c.ratio - 1) * 100, c.traced_median_ns / 1e3,
      c.untraced_median_ns / 1e3, c.faults, (kTracingCostLimit - 1) * 100);
}

}  // namespace zs
