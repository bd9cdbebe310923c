// Robust summaries, outlier and bimodality flags, and the order-statistic
// helpers the bootstrap shares. Inputs are finite
// samples: invalid samples are dropped by the caller, never passed as NaN.
#include "stats/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "stats/stats_detail.h"

namespace zs::stats {
namespace detail {

double median_inplace(std::span<double> v) {
  const std::size_t n = v.size();
  const std::size_t mid = n / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  const double hi = v[mid];
  if (n % 2 == 1) return hi;
  // nth_element leaves the lower half before mid: its maximum is the other
  // middle value.
  const double lo = *std::max_element(v.begin(), v.begin() + mid);
  return (lo + hi) / 2;
}

double quantile_sorted(std::span<const double> s, double q) {
  const std::size_t n = s.size();
  q = std::clamp(q, 0.0, 1.0);
  const double h = static_cast<double>(n - 1) * q;
  const double fl = std::floor(h);
  const auto i = static_cast<std::size_t>(fl);
  if (i + 1 >= n) return s[n - 1];
  const double g = h - fl;
  const double a = s[i], b = s[i + 1];
  const double d = b - a;
  // numpy interpolates from the nearer neighbour, so q = 1 - eps stays <= b.
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

double norm_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double norm_ppf(double p) {
  if (std::isnan(p)) return p;
  if (p <= 0) return -std::numeric_limits<double>::infinity();
  if (p >= 1) return std::numeric_limits<double>::infinity();
  // Acklam's rational approximation (relative error < 1.2e-9), refined by
  // one Halley step on erfc to full double precision.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x;
  if (p < p_low || p > 1 - p_low) {
    const double q = std::sqrt(-2 * std::log(p < p_low ? p : 1 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p >= p_low) x = -x;
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  // e = cdf(x) - p; in the upper half through the complement, which erfc
  // keeps accurate.
  const double e = p > 0.5 ? (1 - p) - 0.5 * std::erfc(x / std::numbers::sqrt2) : norm_cdf(x) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

}  // namespace detail

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double mean_of(std::span<const double> x) {
  double sum = 0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

double median_of(std::span<const double> x) {
  std::vector<double> v(x.begin(), x.end());
  return detail::median_inplace(v);
}

double mad_about(std::span<const double> x, double center) {
  std::vector<double> dev(x.size());
  std::transform(x.begin(), x.end(), dev.begin(), [&](double v) { return std::abs(v - center); });
  return detail::median_inplace(dev);
}

}  // namespace

// Empty input: n = 0 and every statistic NaN (not measured, not zero).
Summary summarize(std::span<const double> x) {
  Summary s;
  s.n = x.size();
  if (x.empty()) {
    s.mean = s.median = s.stddev = s.cv = s.mad = kNaN;
    s.min = s.max = s.p5 = s.p25 = s.p75 = s.p95 = kNaN;
    return s;
  }
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();

  // Two passes: the mean first, then squared deviations from it.
  s.mean = mean_of(x);
  if (n >= 2) {
    double ss = 0;
    for (double v : x) ss += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(ss / static_cast<double>(n - 1));
  }
  s.cv = s.mean == 0 ? 0 : s.stddev / s.mean;
  s.median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  s.mad = mad_about(x, s.median);
  s.min = sorted.front();
  s.max = sorted.back();
  s.p5 = detail::quantile_sorted(sorted, 0.05);
  s.p25 = detail::quantile_sorted(sorted, 0.25);
  s.p75 = detail::quantile_sorted(sorted, 0.75);
  s.p95 = detail::quantile_sorted(sorted, 0.95);
  return s;
}

// Empty input: NaN. q outside [0, 1] is clamped.
double percentile(std::span<const double> x, double q) {
  if (x.empty()) return kNaN;
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  return detail::quantile_sorted(sorted, q);
}

// With MAD == 0 (more than half the samples identical, e.g. a quantised
// clock) the rule as declared flags every sample that differs from the
// median: that is what "more than k scaled MADs away" means there.
std::vector<std::size_t> mad_outliers(std::span<const double> x, double k) {
  std::vector<std::size_t> out;
  if (x.empty()) return out;
  const double med = median_of(x);
  const double limit = k * 1.4826 * mad_about(x, med);
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::abs(x[i] - med) > limit) out.push_back(i);
  return out;
}

// Sample (bias-corrected) skewness G1 and excess kurtosis G2, as
// scipy.stats.skew/kurtosis(bias=False). Undefined (NaN, not flagged) for
// n < 4 or zero variance.
Bimodality bimodality(std::span<const double> x) {
  Bimodality b;
  const std::size_t n = x.size();
  b.coefficient = kNaN;
  if (n < 4) return b;
  const double mean = mean_of(x);
  double m2 = 0, m3 = 0, m4 = 0;
  for (double v : x) {
    const double d = v - mean, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  const double nd = static_cast<double>(n);
  m2 /= nd;
  m3 /= nd;
  m4 /= nd;
  if (m2 == 0) return b;
  const double g1 = m3 / std::pow(m2, 1.5);
  const double g2 = m4 / (m2 * m2) - 3;
  const double G1 = g1 * std::sqrt(nd * (nd - 1)) / (nd - 2);
  const double G2 = ((nd + 1) * g2 + 6) * (nd - 1) / ((nd - 2) * (nd - 3));
  b.coefficient = (G1 * G1 + 1) / (G2 + 3 * (nd - 1) * (nd - 1) / ((nd - 2) * (nd - 3)));
  b.flagged = n >= 10 && b.coefficient > 5.0 / 9.0;
  return b;
}

}  // namespace zs::stats
