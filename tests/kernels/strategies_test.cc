// Every strategy's plan against the kernel's own order, written here a
// second time from the kernel's C (signed ints, the kernel's loop shapes)
// rather than from the generators, and for coverage over many folio sizes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "strategies/strategy.h"

namespace zs {
namespace {

// process_huge_page()'s page order, transcribed from mm/memory.c.
std::vector<std::int64_t> kernel_process_huge_page(int nr_pages, int n) {
  std::vector<std::int64_t> order;
  int i, base, l;
  if (2 * n <= nr_pages) {
    base = 0;
    l = n;
    for (i = nr_pages - 1; i >= 2 * n; i--) order.push_back(i);
  } else {
    base = nr_pages - 2 * (nr_pages - n);
    l = nr_pages - n;
    for (i = 0; i < base; i++) order.push_back(i);
  }
  for (i = 0; i < l; i++) {
    order.push_back(base + i);
    order.push_back(base + 2 * l - 1 - i);
  }
  return order;
}

struct Range {
  std::int64_t start, end;  // inclusive, as the kernel's struct range
  std::int64_t len() const { return end - start + 1; }
};
std::int64_t clamp(std::int64_t v, std::int64_t lo, std::int64_t hi) {
  return std::min(std::max(v, lo), hi);
}

// folio_zero_user()'s three regions (right, left, hot), transcribed.
std::vector<Range> kernel_three_regions(std::int64_t nr, std::int64_t fault_idx,
                                        std::int64_t width) {
  Range pg{0, nr - 1};
  Range hot{clamp(fault_idx - width, pg.start, pg.end), clamp(fault_idx + width, pg.start, pg.end)};
  Range left{pg.start, clamp(hot.start - 1, pg.start - 1, hot.start)};
  Range right{clamp(hot.end + 1, hot.end, pg.end + 1), pg.end};
  return {right, left, hot};
}

std::vector<std::int64_t> pages_in_order(const Plan& plan) {
  std::vector<std::int64_t> out;
  for (const PlanOp& op : plan.ops)
    if (op.kind == PlanOp::Kind::clear)
      for (std::uint64_t i = 0; i < op.count; ++i) out.push_back(std::int64_t(op.first + i));
  return out;
}

// How many times a strategy clears each page: none for a folio zeroed long
// ago, twice for the double zeroing, once for every other.
unsigned times_cleared(std::string_view strategy) {
  if (strategy == "prezeroed") return 0;
  if (strategy == "double") return 2;
  return 1;
}

// "" when every page of the folio is cleared `times` times by well-formed
// calls, and every clear of an aliased plan lies inside a mapping made for
// it (map ... unmap of the same range, nothing left mapped).
std::string coverage_error(const Plan& plan, std::uint64_t n, unsigned times = 1) {
  if (plan.nr_pages != n) return "nr_pages mismatch";
  std::vector<std::uint8_t> seen(n, 0);
  const bool aliased = plan.aliased();
  bool is_mapped = false;
  PlanOp mapped = PlanOp::map(0, 0);
  for (const PlanOp& op : plan.ops) {
    if (op.kind == PlanOp::Kind::resched) continue;
    if (op.count == 0) return "empty call";
    if (op.first >= n || op.count > n - op.first) return "call outside the folio";
    if (op.kind == PlanOp::Kind::map) {
      if (is_mapped) return "map inside a mapping";
      is_mapped = true;
      mapped = op;
      continue;
    }
    if (op.kind == PlanOp::Kind::unmap) {
      if (!is_mapped || mapped.first != op.first || mapped.count != op.count)
        return "unmap of a range not mapped";
      is_mapped = false;
      continue;
    }
    if (aliased && (!is_mapped || op.first < mapped.first ||
                    op.first + op.count > mapped.first + mapped.count))
      return "clear outside its alias mapping";
    for (std::uint64_t i = op.first; i < op.first + op.count; ++i)
      if (seen[i]++ == times) return "page " + std::to_string(i) + " cleared too often";
  }
  if (is_mapped) return "a mapping left in place";
  for (std::uint64_t i = 0; i < n; ++i)
    if (seen[i] != times)
      return "page " + std::to_string(i) + " cleared " + std::to_string(seen[i]) + " times";
  return "";
}

// The expected ops of a region list split into batches, a resched between
// any two consecutive clear calls.
std::vector<PlanOp> batched_ops(const std::vector<Range>& regions, std::int64_t batch) {
  std::vector<PlanOp> ops;
  for (const Range& r : regions) {
    for (std::int64_t s = r.start; s <= r.end; s += batch) {
      if (!ops.empty()) ops.push_back(PlanOp::resched());
      ops.push_back(PlanOp::clear(s, std::min(batch, r.end - s + 1)));
    }
  }
  return ops;
}

std::vector<std::uint64_t> targets_for(std::uint64_t n, std::mt19937_64& rng) {
  std::vector<std::uint64_t> t = {0, n / 2, n - 1};
  if (n > 1) t.push_back(1);
  if (n > 2) t.push_back(n - 2);
  t.push_back(rng() % n);
  t.push_back(rng() % n);
  return t;
}

TEST(Strategies, EveryStrategyClearsEveryPageExactlyOnceForSmallFolios) {
  std::mt19937_64 rng(42);
  for (std::uint64_t n = 1; n <= 1100; ++n)
    for (std::uint64_t t : targets_for(n, rng))
      for (const Strategy& s : strategies())
        for (std::uint64_t w : {0, 1, 2, 7, 5000})
          for (std::uint64_t b : {std::uint64_t{1}, std::uint64_t{3}, std::uint64_t{32}, n}) {
            if (!s.uses_width && w != 2) continue;  // parameters that do not apply
            if (!s.uses_batch && b != 1) continue;
            StrategyParams p{n, t, w, s.uses_batch ? b : 0, 4096};
            std::string err = coverage_error(s.plan(p), n, times_cleared(s.name));
            ASSERT_EQ(err, "") << s.name << " n=" << n << " t=" << t << " w=" << w << " b=" << b;
          }
}

TEST(Strategies, EveryStrategyCoversA1GiBFolio) {
  const std::uint64_t n = 262144;
  std::mt19937_64 rng(7);
  for (const Strategy& s : strategies())
    for (std::uint64_t t : {std::uint64_t{0}, std::uint64_t{1}, n / 2, n - 1, rng() % n})
      for (std::uint64_t b :
           {std::uint64_t{1}, std::uint64_t{512}, std::uint64_t{8192}, std::uint64_t{0}}) {
        if (!s.uses_batch && b != 0) continue;
        StrategyParams p{n, t, 2, b, 4096};
        ASSERT_EQ(coverage_error(s.plan(p), n, times_cleared(s.name)), "")
            << s.name << " t=" << t << " b=" << b;
      }
}

TEST(Sequential, AscendingPageAtATimeWithAPreemptionPointBeforeEach) {
  Plan plan = plan_sequential({5, 3});
  std::vector<PlanOp> want;
  for (std::uint64_t i = 0; i < 5; ++i) {
    want.push_back(PlanOp::resched());
    want.push_back(PlanOp::clear(i, 1));
  }
  EXPECT_EQ(plan.ops, want);
}

TEST(LeftRight, MatchesProcessHugePageForEverySmallFolioAndTarget) {
  for (int n = 1; n <= 300; ++n)
    for (int t = 0; t < n; ++t) {
      Plan plan = plan_left_right({std::uint64_t(n), std::uint64_t(t)});
      ASSERT_EQ(pages_in_order(plan), kernel_process_huge_page(n, t)) << "n=" << n << " t=" << t;
      ASSERT_EQ(plan.resched_points(), std::uint64_t(n));
      ASSERT_EQ(plan.ops.back(), PlanOp::clear(t, 1)) << "target is not last";
      ASSERT_EQ(plan.ops.front(), PlanOp::resched());
    }
}

std::vector<std::int64_t> seq(std::int64_t from, std::int64_t to, std::int64_t step = 1) {
  std::vector<std::int64_t> v;
  for (std::int64_t i = from; step > 0 ? i <= to : i >= to; i += step) v.push_back(i);
  return v;
}

TEST(LeftRight, WorkedExamplesFromTheReference) {
  auto order = [](std::uint64_t t) { return pages_in_order(plan_left_right({512, t})); };
  // t = 0: one descending sweep.
  EXPECT_EQ(order(0), seq(511, 0, -1));
  // t = 5: 511 down to 10, then 0,9, 1,8, 2,7, 3,6, 4,5.
  auto want5 = seq(511, 10, -1);
  for (std::int64_t p : {0, 9, 1, 8, 2, 7, 3, 6, 4, 5}) want5.push_back(p);
  EXPECT_EQ(order(5), want5);
  // t = 300: 0..87 ascending, then 88,511, 89,510, ..., 299,300.
  auto want300 = seq(0, 87);
  for (std::int64_t i = 0; i < 212; ++i) {
    want300.push_back(88 + i);
    want300.push_back(511 - i);
  }
  EXPECT_EQ(order(300), want300);
  EXPECT_EQ(want300.back(), 300);
  // t = 511: 0..509, then 510, 511.
  auto want511 = seq(0, 511);
  EXPECT_EQ(order(511), want511);
}

TEST(ThreeRegion, MatchesFolioZeroUserForEverySmallFolioTargetWidthAndBatch) {
  for (std::int64_t n = 1; n <= 130; ++n)
    for (std::int64_t t = 0; t < n; ++t)
      for (std::int64_t w : {0, 1, 2, 3, 64, 1000})
        for (std::int64_t b : {std::int64_t{1}, std::int64_t{2}, std::int64_t{5}, n}) {
          std::vector<Range> regions;
          for (Range r : kernel_three_regions(n, t, w))
            if (r.len() > 0) regions.push_back(r);
          Plan plan = plan_three_region(
              {std::uint64_t(n), std::uint64_t(t), std::uint64_t(w), std::uint64_t(b)});
          ASSERT_EQ(plan.ops, batched_ops(regions, b))
              << "n=" << n << " t=" << t << " w=" << w << " b=" << b;
        }
}

// Regions as (first, count) for n = 512, batch = whole range.
std::vector<PlanOp> regions512(std::uint64_t t, std::uint64_t w) {
  Plan p = plan_three_region({512, t, w, 0});
  std::vector<PlanOp> clears;
  for (const PlanOp& op : p.ops)
    if (op.kind == PlanOp::Kind::clear) clears.push_back(op);
  return clears;
}

TEST(ThreeRegion, ClampsAtTheFolioEdgesAsTheKernelDoes) {
  using O = PlanOp;
  // t = 0: the reference's example, pages 3..511 then 0..2.
  EXPECT_EQ(regions512(0, 2), (std::vector<O>{O::clear(3, 509), O::clear(0, 3)}));
  // t = 1: hot [0, 3], no left region.
  EXPECT_EQ(regions512(1, 2), (std::vector<O>{O::clear(4, 508), O::clear(0, 4)}));
  // t = N-2: hot [508, 511], no right region.
  EXPECT_EQ(regions512(510, 2), (std::vector<O>{O::clear(0, 508), O::clear(508, 4)}));
  // t = N-1: hot [509, 511].
  EXPECT_EQ(regions512(511, 2), (std::vector<O>{O::clear(0, 509), O::clear(509, 3)}));
  // Middle: right, left, hot.
  EXPECT_EQ(regions512(300, 2),
            (std::vector<O>{O::clear(303, 209), O::clear(0, 298), O::clear(298, 5)}));
  // w = 0: the target page alone, last.
  EXPECT_EQ(regions512(300, 0),
            (std::vector<O>{O::clear(301, 211), O::clear(0, 300), O::clear(300, 1)}));
  // w larger than the folio: one region, the whole folio.
  for (std::uint64_t t : {0, 1, 255, 510, 511})
    EXPECT_EQ(regions512(t, 4096), (std::vector<O>{O::clear(0, 512)})) << t;
  // A one-page folio.
  EXPECT_EQ(plan_three_region({1, 0, 2, 0}).ops, (std::vector<O>{O::clear(0, 1)}));
}

TEST(ThreeRegion, BatchesSplitEachRegionWithAPreemptionPointBetween) {
  using O = PlanOp;
  Plan p = plan_three_region({16, 0, 2, 5});
  EXPECT_EQ(p.ops, (std::vector<O>{O::clear(3, 5), O::resched(), O::clear(8, 5), O::resched(),
                                   O::clear(13, 3), O::resched(), O::clear(0, 3)}));
}

TEST(Extent, ContiguousBatchesWithPreemptionPointsBetweenThem) {
  using O = PlanOp;
  EXPECT_EQ(plan_extent({512, 7, 2, 0}).ops, (std::vector<O>{O::clear(0, 512)}));
  EXPECT_EQ(
      plan_extent({10, 0, 2, 4}).ops,
      (std::vector<O>{O::clear(0, 4), O::resched(), O::clear(4, 4), O::resched(), O::clear(8, 2)}));
  EXPECT_EQ(plan_extent({8, 0, 2, 8}).ops, (std::vector<O>{O::clear(0, 8)}));
  EXPECT_EQ(plan_extent({3, 1, 2, 1000}).ops, (std::vector<O>{O::clear(0, 3)}));
}

TEST(Upstream, IsThreeRegionWithWidth2And32MiBBatches) {
  const Strategy* up = find_strategy("upstream");
  ASSERT_NE(up, nullptr);
  for (std::uint64_t page : {4096u, 16384u, 65536u}) {
    const std::uint64_t batch = (32u << 20) / page;
    for (std::uint64_t n : {512u, 262144u})
      for (std::uint64_t t : {std::uint64_t{0}, n / 2, n - 1}) {
        StrategyParams p{n, t, 9, 1, page};  // width/batch given are overridden by the preset
        EXPECT_EQ(up->plan(p).ops, plan_three_region({n, t, 2, batch, page}).ops);
      }
  }
  // 1 GiB of 4 KiB pages, t = 0: the right region in 32 MiB batches, 32 calls.
  Plan p = up->plan({262144, 0, 2, 0, 4096});
  EXPECT_EQ(p.clear_calls(), 32u + 1u);
}

TEST(Registry, NamesAndParameters) {
  EXPECT_EQ(
      strategy_names(),
      (std::vector<std::string>{"sequential", "left-right", "three-region", "extent", "upstream",
                                "prezeroed", "alloc-init", "double", "alias-range", "alias-page"}));
  EXPECT_EQ(find_strategy("nope"), nullptr);
  EXPECT_TRUE(find_strategy("three-region")->uses_width);
  EXPECT_FALSE(find_strategy("extent")->uses_width);
  EXPECT_TRUE(find_strategy("extent")->uses_batch);
  EXPECT_FALSE(find_strategy("left-right")->uses_batch);
}

TEST(Prezeroed, ClearsNothing) {
  for (std::uint64_t n : {1u, 512u, 262144u}) {
    const Plan p = find_strategy("prezeroed")->plan({n, n - 1, 2, 0});
    EXPECT_EQ(p.nr_pages, n);
    EXPECT_TRUE(p.ops.empty());
  }
}

TEST(AllocInit, AscendingPageAtATimeWithoutPreemptionPointsOrExtentsWithBatch) {
  using O = PlanOp;
  // The target does not matter: the allocator does not know it.
  for (std::uint64_t t : {0u, 2u, 4u})
    EXPECT_EQ(plan_alloc_init({5, t, 2, 0}).ops,
              (std::vector<O>{O::clear(0, 1), O::clear(1, 1), O::clear(2, 1), O::clear(3, 1),
                              O::clear(4, 1)}));
  // Salunke's batching: clear_pages() over extents.
  EXPECT_EQ(
      plan_alloc_init({10, 9, 2, 4}).ops,
      (std::vector<O>{O::clear(0, 4), O::resched(), O::clear(4, 4), O::resched(), O::clear(8, 2)}));
}

TEST(Double, AllocInitThenTheFaultPathsThreeRegion) {
  using O = PlanOp;
  // init: 0..5 page at a time; then the fault: right 3..5, left none, hot 0..2.
  EXPECT_EQ(plan_double({6, 0, 2, 0}).ops,
            (std::vector<O>{O::clear(0, 1), O::clear(1, 1), O::clear(2, 1), O::clear(3, 1),
                            O::clear(4, 1), O::clear(5, 1), O::resched(), O::clear(3, 3),
                            O::resched(), O::clear(0, 3)}));
  // The batch belongs to the fault path's regions, not to the init.
  const Plan p = plan_double({512, 300, 2, 64});
  EXPECT_EQ(pages_in_order(p).size(), 1024u);
  EXPECT_EQ(std::vector<PlanOp>(p.ops.begin(), p.ops.begin() + 512), plan_alloc_init({512, 0}).ops);
  const Plan fault = plan_three_region({512, 300, 2, 64});
  EXPECT_TRUE(std::equal(fault.ops.rbegin(), fault.ops.rend(), p.ops.rbegin()));
}

TEST(Alias, RangeMapsOnceAndPageMapsEachPage) {
  using O = PlanOp;
  EXPECT_EQ(plan_alias_range({512, 7}).ops,
            (std::vector<O>{O::map(0, 512), O::clear(0, 512), O::unmap(0, 512)}));
  EXPECT_EQ(plan_alias_page({2, 1}).ops,
            (std::vector<O>{O::map(0, 1), O::clear(0, 1), O::unmap(0, 1), O::map(1, 1),
                            O::clear(1, 1), O::unmap(1, 1)}));
  const Plan page = plan_alias_page({512, 0});
  EXPECT_EQ(page.map_calls(), 512u);
  EXPECT_EQ(page.clear_calls(), 512u);
  EXPECT_EQ(page.resched_points(), 0u);
  EXPECT_TRUE(page.aliased());
  EXPECT_FALSE(plan_sequential({512, 0}).aliased());
  EXPECT_EQ(format_plan(plan_alias_range({4, 0})), "map 0 4\nclear 0 4\nunmap 0 4\n");
}

TEST(Plan, CoverageCheckCatchesAClearOutsideItsMapping) {
  Plan p;
  p.nr_pages = 2;
  p.map(0, 1);
  p.clear(0, 1);
  p.unmap(0, 1);
  p.clear(1, 1);  // after the unmap
  EXPECT_EQ(coverage_error(p, 2), "clear outside its alias mapping");
  Plan q = plan_alias_range({4, 0});
  q.ops.pop_back();
  EXPECT_EQ(coverage_error(q, 4), "a mapping left in place");
}

TEST(Plan, PrintsOneLinePerCall) {
  Plan p = plan_extent({10, 0, 2, 4});
  EXPECT_EQ(format_plan(p), "clear 0 4\nresched\nclear 4 4\nresched\nclear 8 2\n");
}

}  // namespace
}  // namespace zs
