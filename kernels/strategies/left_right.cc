#include "strategies/strategy.h"

namespace zs {

// process_huge_page() (Huang Ying, 2017/2018). The pages far from the target
// are cleared first, so that the target's neighbours, cleared last from both
// sides, are still in cache when the faulting instruction is restarted.
Plan plan_left_right(const StrategyParams& p) {
  const std::uint64_t n = p.nr_pages, t = p.target;
  Plan plan;
  plan.nr_pages = n;
  plan.ops.reserve(2 * n);
  auto page = [&plan](std::uint64_t i) {
    plan.resched();  // cond_resched() before every subpage
    plan.clear(i, 1);
  };

  std::uint64_t base, l;
  if (2 * t <= n) {
    // Target in the first half: clear the tail, descending, down to 2t.
    base = 0;
    l = t;
    for (std::uint64_t i = n; i-- > 2 * t;) page(i);
  } else {
    // Target in the second half: clear the head, ascending, up to base.
    base = n - 2 * (n - t);
    l = n - t;
    for (std::uint64_t i = 0; i < base; ++i) page(i);
  }
  // Converge on the target from both sides; it is the last page cleared.
  for (std::uint64_t i = 0; i < l; ++i) {
    page(base + i);
    page(base + 2 * l - 1 - i);
  }
  return plan;
}

}  // namespace zs
