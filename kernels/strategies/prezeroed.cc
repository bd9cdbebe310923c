#include "strategies/strategy.h"

namespace zs {

// A folio zeroed long ago (host-zeroed memory the guest trusts, or a
// pre-zeroed pool): nothing is cleared when it is faulted, so the zero
// phase is empty and the access phase pays for memory that is not in cache.
Plan plan_prezeroed(const StrategyParams& p) {
  Plan plan;
  plan.nr_pages = p.nr_pages;
  return plan;
}

}  // namespace zs
