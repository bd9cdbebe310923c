#include <algorithm>

#include "strategies/strategy.h"

namespace zs {

namespace {
constexpr Strategy kStrategies[] = {
    {"sequential", "page at a time, ascending, resched before each page (clear_gigantic_page)",
     false, false, plan_sequential},
    {"left-right", "page at a time converging on the target, target last (process_huge_page)",
     false, false, plan_left_right},
    {"three-region", "right, left, then [t-w, t+w] last; contiguous batches (folio_zero_user, 7.0)",
     true, true, plan_three_region},
    {"extent", "whole folio as contiguous batches of `batch` pages (clear_pages, Arora v4)", false,
     true, plan_extent},
    {"upstream", "preset: three-region, w = 2, batch = 32 MiB of pages (Linux 7.0)", false, false,
     plan_three_region, true, kUpstreamWidth, kUpstreamBatchBytes},
    {"prezeroed",
     "nothing: the folio was zeroed long ago (empty plan; the access pays cold memory)", false,
     false, plan_prezeroed, false, 0, 0, false},
    {"alloc-init",
     "page allocator init_on_alloc: page at a time, ascending (kernel_init_pages); batch > 0: "
     "extents",
     false, true, plan_alloc_init},
    {"double", "alloc-init, then the fault path's three-region (init_on_alloc + aliasing caches)",
     true, true, plan_double},
    {"alias-range", "map the folio once with 4 KiB entries, clear, unmap (mermap fast path)", false,
     false, plan_alias_range},
    {"alias-page", "per page: map with a 4 KiB entry, clear, unmap (mermap slow path)", false,
     false, plan_alias_page},
};
}  // namespace

StrategyParams Strategy::resolve(StrategyParams p) const {
  if (preset) {
    p.width = preset_width;
    p.batch = std::max<std::uint64_t>(1, preset_batch_bytes / p.page_size);
  }
  return p;
}

std::span<const Strategy> strategies() { return kStrategies; }

const Strategy* find_strategy(std::string_view name) {
  for (const Strategy& s : kStrategies)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<std::string> strategy_names() {
  std::vector<std::string> out;
  for (const Strategy& s : kStrategies) out.emplace_back(s.name);
  return out;
}

}  // namespace zs
