// Runs a clearing plan over a folio with one primitive: the only code in
// zeroscope that writes the memory being zeroed. The loop is inline and
// allocation-free because it is the measured path; checks happen once,
// before measuring, in check_executable().
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "primitives/registry.h"
#include "strategies/plan.h"

namespace zs {

// Why `plan` cannot run with `prim` over [base, base + folio_bytes) in pages
// of page_size bytes, or nullopt when it can: the plan must stay inside the
// folio and every clear call must meet the primitive's alignment and
// granule. An aliased plan (map/unmap ops) runs only with an alias source
// (a memfd-backed folio: measure/alias_executor.h), and then its ops must
// nest (check_aliased).
std::optional<std::string> check_executable(const Plan& plan, const Primitive& prim,
                                            const void* base, std::size_t folio_bytes,
                                            std::size_t page_size, bool alias_source = false);

// on_resched() runs at every preemption point (a no-op, a timestamp for
// preemption-latency sweeps, or sched_yield()).
template <class OnResched>
inline void execute(const Plan& plan, zs_zero_fn fn, std::byte* base, std::size_t page_size,
                    OnResched&& on_resched) {
  for (const PlanOp& op : plan.ops) {
    if (op.kind == PlanOp::Kind::clear)
      fn(base + op.first * page_size, op.count * page_size);
    else
      on_resched();
  }
}

inline void execute(const Plan& plan, zs_zero_fn fn, std::byte* base, std::size_t page_size) {
  execute(plan, fn, base, page_size, [] {});
}

}  // namespace zs
