// Helpers shared by the stats_*.cc files; not part of the public API.
#pragma once

#include <cstddef>
#include <span>

namespace zs::stats::detail {

// Median of v (non-empty), reordering v: nth_element, and for an even count
// the mean of the two middle values, as numpy.median computes it.
double median_inplace(std::span<double> v);

// Linear interpolation between order statistics of sorted, non-empty data
// (numpy's default method, R type 7), with numpy's _lerp rounding.
double quantile_sorted(std::span<const double> sorted, double q);

// Standard normal CDF and its inverse (-inf / +inf at 0 / 1).
double norm_cdf(double z);
double norm_ppf(double p);

}  // namespace zs::stats::detail
