// The clearing strategies of the kernel's folio_zero_user() history, as pure
// plan generators: (nr_pages, target, parameters) -> Plan. The orders, and
// which kernel uses which, are in docs/kernel-zeroing.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "strategies/plan.h"

namespace zs {

struct StrategyParams {
  std::uint64_t nr_pages = 0;      // base pages in the folio, >= 1
  std::uint64_t target = 0;        // faulting page index, < nr_pages
  std::uint64_t width = 2;         // three-region: pages either side cleared last
  std::uint64_t batch = 0;         // extent/three-region: pages per clear call, 0 = whole range
  std::uint64_t page_size = 4096;  // bytes; only presets defined in bytes use it
};

// Page at a time, ascending (clear_gigantic_page), a preemption point before
// each page.
Plan plan_sequential(const StrategyParams& p);
// Page at a time in process_huge_page()'s order, target last, a preemption
// point before each page.
Plan plan_left_right(const StrategyParams& p);
// Right region, left region, then [t-w, t+w] clamped to the folio, each one
// contiguous range in batches (folio_zero_user since Linux 7.0).
Plan plan_three_region(const StrategyParams& p);
// The whole folio as contiguous ranges of `batch` pages (Arora v4).
Plan plan_extent(const StrategyParams& p);
// Nothing: the folio was zeroed long ago (an empty plan).
Plan plan_prezeroed(const StrategyParams& p);
// The page allocator's init_on_alloc path (kernel_init_pages): page at a
// time, ascending, no preemption points; batch > 0: extents of `batch` pages.
Plan plan_alloc_init(const StrategyParams& p);
// alloc-init (page at a time), then the fault path's three-region.
Plan plan_double(const StrategyParams& p);
// Through a temporary 4 KiB-entry alias mapping: the whole folio mapped once
// (alias-range), or map, clear, unmap one page at a time (alias-page).
Plan plan_alias_range(const StrategyParams& p);
Plan plan_alias_page(const StrategyParams& p);

struct Strategy {
  std::string_view name;
  std::string_view description;
  bool uses_width;
  bool uses_batch;
  Plan (*make)(const StrategyParams&);
  // Presets fix their parameters: width and batch (in bytes, converted with
  // the page size) are not the user's to change.
  bool preset = false;
  std::uint64_t preset_width = 0;
  std::uint64_t preset_batch_bytes = 0;
  // False for a strategy that clears nothing (prezeroed): no primitive
  // applies to it.
  bool clears = true;

  // Applies a preset's fixed parameters; plain strategies pass p through.
  StrategyParams resolve(StrategyParams p) const;
  Plan plan(const StrategyParams& p) const { return make(resolve(p)); }
};

std::span<const Strategy> strategies();
const Strategy* find_strategy(std::string_view name);
std::vector<std::string> strategy_names();

// Linux 7.0's PROCESS_PAGES_NON_PREEMPT_BATCH: 32 MiB worth of base pages.
inline constexpr std::uint64_t kUpstreamBatchBytes = 32ull << 20;
// FOLIO_ZERO_LOCALITY_RADIUS.
inline constexpr std::uint64_t kUpstreamWidth = 2;

}  // namespace zs
