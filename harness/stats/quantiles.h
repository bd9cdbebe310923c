// Order statistics of raw samples, for the quick tables of `measure`.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace zs {

// The q-quantile with linear interpolation between order statistics (R's
// type 7, numpy's default); NaN for no data.
inline double quantile(std::vector<double> v, double q) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace zs
