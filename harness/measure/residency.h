// The residency probe (access = "residency"): right after the zero phase,
// or the kernel's fault, where are the folio's lines? Every base page of the
// folio gets `lines_per_page` lines at random offsets within it; all the
// folio's lines are probed in one random permutation (not page by page), so
// that neither the adjacent-line nor the stream prefetcher has a pattern to
// follow, and each load is timed alone (platform::timed_load). A page's
// latency is the median of its lines' loads less the timing overhead; its
// level the first whose upper bound (ResidencyThresholds) it does not
// exceed. The probe disturbs the cache itself: it replaces the sample's
// access phase.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "platform/platform.h"

namespace zs {

inline constexpr std::uint32_t kResidencyLinesPerPage = 4;

enum class ResidencyLevel { l1, l2, llc, memory };
inline constexpr std::size_t kResidencyLevels = 4;
// "L1", "L2", "LLC", "memory" (residency.csv's level column).
const char* to_string(ResidencyLevel l);
std::optional<ResidencyLevel> parse_residency_level(std::string_view s);

// Upper bounds in ns of L1, L2 and LLC; above the last is memory.
struct ResidencyThresholds {
  double l1 = 0, l2 = 0, llc = 0;
};
ResidencyLevel classify(double ns, const ResidencyThresholds& t);

// The lines one probe loads, in the order it loads them: byte offsets
// within the folio, and each one's page.
struct ResidencyPlan {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> pages;
  std::uint64_t nr_pages = 0;
};
// `lines_per_page` distinct random lines of every page (all of them when a
// page has fewer), shuffled over the whole folio; the same for one seed.
ResidencyPlan make_residency_plan(std::uint64_t folio_bytes, std::uint64_t page_bytes,
                                  std::size_t line, std::uint32_t lines_per_page,
                                  std::uint64_t seed);

// Times each load of the plan into ticks[i] (sized to the plan). Inline: it
// is the measured phase; nothing but the timed loads.
inline void run_residency_probe(const ResidencyPlan& plan, const std::byte* folio,
                                std::uint64_t* ticks) {
  const std::size_t n = plan.offsets.size();
  for (std::size_t i = 0; i < n; ++i) ticks[i] = platform::timed_load(folio + plan.offsets[i]);
}

// Per page: the median of its lines' ticks, less `overhead_ticks`, in ns.
std::vector<float> page_latencies(const ResidencyPlan& plan, std::span<const std::uint64_t> ticks,
                                  double overhead_ticks, double ns_per_tick);

// The median of `v` (by copy; 0 for an empty one): the rule of the probe's
// pages, the overhead and the calibration's levels.
double residency_median(std::vector<double> v);

}  // namespace zs
