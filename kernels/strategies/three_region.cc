#include <algorithm>

#include "strategies/strategy.h"

namespace zs {

// folio_zero_user() as merged for Linux 7.0 (Arora v5 "cache neighbouring
// pages"): the fault's neighbourhood [t-w, t+w], clamped to the folio as the
// kernel clamps it, is cleared last so that it is still in cache; the right
// region goes first, then the left, each a contiguous range in batches.
Plan plan_three_region(const StrategyParams& p) {
  const std::uint64_t n = p.nr_pages, t = p.target, w = p.width;
  Plan plan;
  plan.nr_pages = n;

  // clamp(t - w, 0, n - 1) and clamp(t + w, 0, n - 1) without signed overflow.
  const std::uint64_t hot_start = t >= w ? t - w : 0;
  const std::uint64_t hot_end = std::min(n - 1, w >= n ? n - 1 : t + w);

  plan.clear_batched(hot_end + 1, n - 1 - hot_end, p.batch);        // right
  plan.clear_batched(0, hot_start, p.batch);                        // left
  plan.clear_batched(hot_start, hot_end - hot_start + 1, p.batch);  // neighbourhood
  return plan;
}

}  // namespace zs
