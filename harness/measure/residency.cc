#include "measure/residency.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "stats/stats.h"

namespace zs {

namespace {
constexpr std::pair<ResidencyLevel, const char*> kLevels[] = {
    {ResidencyLevel::l1, "L1"},
    {ResidencyLevel::l2, "L2"},
    {ResidencyLevel::llc, "LLC"},
    {ResidencyLevel::memory, "memory"},
};
}  // namespace

const char* to_string(ResidencyLevel l) {
  for (auto [v, n] : kLevels)
    if (v == l) return n;
  return "?";
}

std::optional<ResidencyLevel> parse_residency_level(std::string_view s) {
  for (auto [v, n] : kLevels)
    if (s == n) return v;
  return std::nullopt;
}

ResidencyLevel classify(double ns, const ResidencyThresholds& t) {
  if (ns <= t.l1) return ResidencyLevel::l1;
  if (ns <= t.l2) return ResidencyLevel::l2;
  if (ns <= t.llc) return ResidencyLevel::llc;
  return ResidencyLevel::memory;
}

ResidencyPlan make_residency_plan(std::uint64_t folio_bytes, std::uint64_t page_bytes,
                                  std::size_t line, std::uint32_t lines_per_page,
                                  std::uint64_t seed) {
  ResidencyPlan plan;
  plan.nr_pages = page_bytes ? folio_bytes / page_bytes : 0;
  const std::uint64_t lines_in_page = line ? page_bytes / line : 0;
  const std::uint64_t k = std::min<std::uint64_t>(lines_per_page, lines_in_page);
  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> in_page(lines_in_page);
  for (std::uint64_t p = 0; p < plan.nr_pages; ++p) {
    std::iota(in_page.begin(), in_page.end(), 0);
    // A partial Fisher-Yates: k distinct lines of the page.
    for (std::uint64_t i = 0; i < k; ++i) {
      std::uniform_int_distribution<std::uint64_t> pick(i, lines_in_page - 1);
      std::swap(in_page[i], in_page[pick(rng)]);
      plan.offsets.push_back(p * page_bytes + in_page[i] * line);
      plan.pages.push_back(static_cast<std::uint32_t>(p));
    }
  }
  std::vector<std::size_t> order(plan.offsets.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  ResidencyPlan shuffled;
  shuffled.nr_pages = plan.nr_pages;
  for (std::size_t i : order) {
    shuffled.offsets.push_back(plan.offsets[i]);
    shuffled.pages.push_back(plan.pages[i]);
  }
  return shuffled;
}

double residency_median(std::vector<double> v) {
  return v.empty() ? 0 : stats::percentile(v, 0.5);  // the project's one quantile rule
}

std::vector<float> page_latencies(const ResidencyPlan& plan, std::span<const std::uint64_t> ticks,
                                  double overhead_ticks, double ns_per_tick) {
  std::vector<std::vector<double>> per_page(plan.nr_pages);
  for (std::size_t i = 0; i < plan.pages.size() && i < ticks.size(); ++i)
    per_page[plan.pages[i]].push_back(double(ticks[i]));
  std::vector<float> ns(plan.nr_pages);
  for (std::size_t p = 0; p < per_page.size(); ++p)
    ns[p] = static_cast<float>((residency_median(per_page[p]) - overhead_ticks) * ns_per_tick);
  return ns;
}

}  // namespace zs
