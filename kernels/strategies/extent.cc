#include "strategies/strategy.h"

namespace zs {

// clear_pages() over the whole folio (Arora v4), split into batches of
// `batch` pages so that a cooperative-preemption kernel can reschedule
// between them.
Plan plan_extent(const StrategyParams& p) {
  Plan plan;
  plan.nr_pages = p.nr_pages;
  plan.clear_batched(0, p.nr_pages, p.batch);
  return plan;
}

}  // namespace zs
