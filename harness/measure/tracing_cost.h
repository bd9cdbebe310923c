// What tracing costs a kernel fault: faults of one pool timed with the
// tracepoints enabled and without, interleaved (ABBA, so neither side always
// follows the other), each fault on a folio given back just before, so
// both sides take memory from the same warm free lists (on a VM with free
// page reporting, memory left free for about two seconds goes back to the
// host and its next fault costs many times more).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace zs {

class FaultTracer;
class FolioPool;

struct TracingCost {
  std::string backing;
  std::uint64_t folio_size = 0;
  std::uint32_t faults = 0;  // on each side
  double untraced_median_ns = 0, traced_median_ns = 0;
  double ratio = 0;  // traced / untraced
};

inline constexpr double kTracingCostLimit = 1.03;

// nullopt when the tracer cannot trace this pool's backing.
std::optional<TracingCost> measure_tracing_cost(FolioPool& pool, FaultTracer& tracer,
                                                std::uint32_t faults = 15);
nlohmann::json to_json(const TracingCost& c);
// "" within kTracingCostLimit; else one line saying what the tracing adds.
std::string tracing_cost_warning(const TracingCost& c);

}  // namespace zs
