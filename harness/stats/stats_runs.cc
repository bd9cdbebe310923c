#include <algorithm>
#include <cmath>
#include <random>

#include "stats/stats.h"

namespace zs::stats {

namespace {
double median_of(std::vector<double> v) {
  const std::size_t n = v.size(), h = n / 2;
  std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(h), v.end());
  if (n % 2) return v[h];
  const double hi = v[h];
  return (*std::max_element(v.begin(), v.begin() + std::ptrdiff_t(h)) + hi) / 2;
}

// The statistic of one side: the median of its runs' medians, so that each
// run weighs the same however many samples it kept.
double side_stat(const std::vector<std::vector<double>>& runs) {
  std::vector<double> medians;
  for (const auto& r : runs) medians.push_back(median_of(r));
  return median_of(medians);
}

std::vector<std::vector<double>> resample(const std::vector<std::vector<double>>& runs,
                                          std::mt19937_64& rng) {
  std::uniform_int_distribution<std::size_t> pick_run(0, runs.size() - 1);
  std::vector<std::vector<double>> out(runs.size());
  for (auto& o : out) {
    const auto& r = runs[pick_run(rng)];
    std::uniform_int_distribution<std::size_t> pick(0, r.size() - 1);
    o.resize(r.size());
    for (auto& x : o) x = r[pick(rng)];
  }
  return out;
}
}  // namespace

RunsRatio bootstrap_runs_ratio(const std::vector<std::vector<double>>& a,
                               const std::vector<std::vector<double>>& b, std::uint64_t seed,
                               int resamples, double level) {
  RunsRatio out;
  for (const auto* side : {&a, &b})
    for (const auto& r : *side)
      if (r.empty()) return {{std::nan(""), std::nan(""), std::nan("")}, std::nan("")};
  if (a.empty() || b.empty()) return {{std::nan(""), std::nan(""), std::nan("")}, std::nan("")};
  const double a0 = side_stat(a), b0 = side_stat(b);
  out.ratio.estimate = a0 != 0 ? b0 / a0 : std::nan("");
  std::mt19937_64 rng(seed);
  std::vector<double> ratios;
  ratios.reserve(std::size_t(resamples));
  for (int i = 0; i < resamples; ++i) {
    const double sa = side_stat(resample(a, rng)), sb = side_stat(resample(b, rng));
    if (sa != 0) ratios.push_back(sb / sa);
  }
  if (ratios.empty()) return out;
  std::sort(ratios.begin(), ratios.end());
  out.ratio.lo = percentile(ratios, (1 - level) / 2);
  out.ratio.hi = percentile(ratios, 1 - (1 - level) / 2);
  const double below =
      double(std::count_if(ratios.begin(), ratios.end(), [](double r) { return r <= 1; }));
  const double above =
      double(std::count_if(ratios.begin(), ratios.end(), [](double r) { return r >= 1; }));
  out.p = std::min(1.0, 2 * std::min(below, above) / double(ratios.size()));
  return out;
}

}  // namespace zs::stats
