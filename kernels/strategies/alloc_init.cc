#include "strategies/strategy.h"

namespace zs {

// post_alloc_hook() -> kernel_init_pages(): the page allocator clears an
// init_on_alloc allocation page at a time, ascending, without preemption
// points and without regard for the faulting address. With batch > 0,
// Salunke's batching (2026): clear_pages() over extents of `batch` pages,
// a preemption point between extents.
Plan plan_alloc_init(const StrategyParams& p) {
  Plan plan;
  plan.nr_pages = p.nr_pages;
  if (p.batch != 0) {
    plan.clear_batched(0, p.nr_pages, p.batch);
    return plan;
  }
  plan.ops.reserve(p.nr_pages);
  for (std::uint64_t i = 0; i < p.nr_pages; ++i) plan.clear(i, 1);
  return plan;
}

// The double zeroing Tsirkin's series removes: the allocator's init
// (page at a time, ascending) followed by the fault path's folio_zero_user()
// (three-region with `width` and `batch`, as since Linux 7.0), on machines
// with aliasing caches and init_on_alloc.
Plan plan_double(const StrategyParams& p) {
  StrategyParams init = p;
  init.batch = 0;
  Plan plan = plan_alloc_init(init);
  const Plan fault = plan_three_region(p);
  if (!plan.ops.empty() && !fault.ops.empty()) plan.resched();  // the fault returns to it later
  plan.ops.insert(plan.ops.end(), fault.ops.begin(), fault.ops.end());
  return plan;
}

}  // namespace zs
