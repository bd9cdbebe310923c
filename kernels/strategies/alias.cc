#include "strategies/strategy.h"

namespace zs {

// Zeroing through a temporary alias mapping, for memory outside the
// kernel's direct map (Jackman's "mermap", 2026). The fast path maps the
// whole folio once, clears it, unmaps it (one TLB flush).
Plan plan_alias_range(const StrategyParams& p) {
  Plan plan;
  plan.nr_pages = p.nr_pages;
  plan.map(0, p.nr_pages);
  plan.clear(0, p.nr_pages);
  plan.unmap(0, p.nr_pages);
  return plan;
}

// The reserved slow path: map one page, clear it, unmap it (a TLB flush
// per page), ascending.
Plan plan_alias_page(const StrategyParams& p) {
  Plan plan;
  plan.nr_pages = p.nr_pages;
  plan.ops.reserve(3 * p.nr_pages);
  for (std::uint64_t i = 0; i < p.nr_pages; ++i) {
    plan.map(i, 1);
    plan.clear(i, 1);
    plan.unmap(i, 1);
  }
  return plan;
}

}  // namespace zs
