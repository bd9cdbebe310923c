#include "strategies/strategy.h"

namespace zs {

// clear_gigantic_page(): for (i = 0; i < nr_pages; i++) { cond_resched();
// clear_user_highpage(page i); }
Plan plan_sequential(const StrategyParams& p) {
  Plan plan;
  plan.nr_pages = p.nr_pages;
  plan.ops.reserve(2 * p.nr_pages);
  for (std::uint64_t i = 0; i < p.nr_pages; ++i) {
    plan.resched();
    plan.clear(i, 1);
  }
  return plan;
}

}  // namespace zs
