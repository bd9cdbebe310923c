// Seeded BCa bootstrap intervals (Efron & Tibshirani 1993, ch. 14).
//
// Resampling draws indices from std::mt19937_64 seeded with `seed`, mapped
// to [0, n) by the multiply-shift (Lemire) reduction rather than
// std::uniform_int_distribution, whose algorithm differs between standard
// libraries: the same seed gives the same interval everywhere. The bias of
// the reduction is at most n / 2^64.
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "stats/stats.h"
#include "stats/stats_detail.h"

namespace zs::stats {
namespace {

constexpr int kMinResamples = 2000;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

__extension__ typedef unsigned __int128 u128;  // GCC and Clang on 64-bit targets

std::size_t draw(std::mt19937_64& rng, std::size_t n) {
  return static_cast<std::size_t>((static_cast<u128>(rng()) * n) >> 64);
}

void resample(std::mt19937_64& rng, std::span<const double> x, std::vector<double>& out) {
  out.resize(x.size());
  for (double& v : out) v = x[draw(rng, x.size())];
}

// The statistic of a sample with the element at sorted position `skip`
// left out, read straight from the sorted data: the jackknife of a median
// costs O(n) after one sort.
double median_without(std::span<const double> sorted, std::size_t skip) {
  const std::size_t m = sorted.size() - 1;
  auto at = [&](std::size_t k) { return sorted[k < skip ? k : k + 1]; };
  return m % 2 == 1 ? at(m / 2) : (at(m / 2 - 1) + at(m / 2)) / 2;
}

std::vector<double> jackknife_medians(std::span<const double> x) {
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> out(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) out[i] = median_without(sorted, i);
  return out;
}

double median_copy(std::span<const double> x) {
  std::vector<double> v(x.begin(), x.end());
  return detail::median_inplace(v);
}

double mean_of(std::span<const double> x) {
  double sum = 0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

bool constant(std::span<const double> x) {
  const auto [mn, mx] = std::minmax_element(x.begin(), x.end());
  return *mn == *mx;
}

// Acceleration from the jackknife values of each independently resampled
// group j: U_ji = (n_j - 1)(mean_j - theta_ji),
//   a = sum_j sum_i U_ji^3 / n_j^3 / (6 (sum_j sum_i U_ji^2 / n_j^2)^1.5),
// Efron & Tibshirani (1993) eq. 14.15 generalised to several samples as in
// their section 14.3 and as scipy.stats.bootstrap computes it; with one
// group it is the usual sum d^3 / (6 (sum d^2)^1.5).
double acceleration(std::initializer_list<std::span<const double>> groups) {
  double num = 0, den = 0;
  for (auto theta : groups) {
    const double n = static_cast<double>(theta.size());
    if (theta.size() < 2) continue;
    const double dot = mean_of(theta);
    double s2 = 0, s3 = 0;
    for (double t : theta) {
      const double u = (n - 1) * (dot - t);
      s2 += u * u;
      s3 += u * u * u;
    }
    num += s3 / (n * n * n);
    den += s2 / (n * n);
  }
  return den > 0 ? num / (6 * std::pow(den, 1.5)) : 0;
}

Interval bca(double estimate, std::vector<double>& boot, double accel, double level) {
  Interval r{estimate, estimate, estimate};
  if (!std::isfinite(estimate) ||
      !std::all_of(boot.begin(), boot.end(), [](double v) { return std::isfinite(v); })) {
    // A zero median in a ratio's denominator: no interval to report.
    r.lo = r.hi = kNaN;
    return r;
  }
  std::sort(boot.begin(), boot.end());
  if (boot.front() == boot.back()) return r;

  // z0 from the share of resampled statistics below the estimate, ties
  // counted half (as scipy.stats.bootstrap): a median resamples onto the
  // estimate itself often, and counting those as "not below" would bias z0.
  const auto below = std::lower_bound(boot.begin(), boot.end(), estimate) - boot.begin();
  const auto not_above = std::upper_bound(boot.begin(), boot.end(), estimate) - boot.begin();
  const double share = static_cast<double>(below + not_above) / (2.0 * boot.size());

  const double alpha = (1 - level) / 2;
  double q_lo = alpha, q_hi = 1 - alpha;  // the plain percentile interval
  // All resamples on one side of the estimate make z0 infinite: clamp to the
  // percentile interval (z0 = 0, a = 0) rather than report an endpoint at the
  // extreme of the distribution. Likewise when the acceleration is so large
  // that 1 - a (z0 + z) is not positive and the BCa mapping breaks down.
  if (share > 0 && share < 1) {
    const double z0 = detail::norm_ppf(share);
    auto adjust = [&](double q) {
      const double t = z0 + detail::norm_ppf(q);
      const double den = 1 - accel * t;
      return den > 0 ? detail::norm_cdf(z0 + t / den) : kNaN;
    };
    const double lo = adjust(alpha), hi = adjust(1 - alpha);
    if (std::isfinite(lo) && std::isfinite(hi)) q_lo = lo, q_hi = hi;
  }
  r.lo = detail::quantile_sorted(boot, q_lo);
  r.hi = detail::quantile_sorted(boot, q_hi);
  return r;
}

void check_level(double level) {
  if (!(level > 0 && level < 1))
    throw std::invalid_argument("stats::bootstrap: level must lie in (0, 1)");
}

// Fewer than 2000 resamples are raised to 2000: the tails of the bootstrap
// distribution that a 95% interval reads need at least that many.
std::size_t resample_count(int resamples) {
  return static_cast<std::size_t>(std::max(resamples, kMinResamples));
}

}  // namespace

// Each group is resampled independently (a first, then b, from one
// generator). The acceleration uses the jackknife over both groups: leave
// one value out of a (b whole), then one out of b (a whole), each group's
// influence values scaled by its own size, as in acceleration() above.
// Either group under two values, or both constant: [estimate, estimate],
// the one-sample convention (nothing to resample). A zero median of a, in
// the data or in a resample, gives lo = hi = NaN.
Interval bootstrap_median_ratio(std::span<const double> a, std::span<const double> b,
                                std::uint64_t seed, int resamples, double level) {
  check_level(level);
  if (a.empty() || b.empty()) return {kNaN, kNaN, kNaN};
  const double med_a = median_copy(a), med_b = median_copy(b);
  const double est = med_b / med_a;
  if (a.size() < 2 || b.size() < 2 || (constant(a) && constant(b))) return {est, est, est};

  std::mt19937_64 rng(seed);
  std::vector<double> boot(resample_count(resamples)), buf_a, buf_b;
  for (double& t : boot) {
    resample(rng, a, buf_a);
    resample(rng, b, buf_b);
    t = detail::median_inplace(buf_b) / detail::median_inplace(buf_a);
  }
  auto jack_a = jackknife_medians(a), jack_b = jackknife_medians(b);
  for (double& v : jack_a) v = med_b / v;
  for (double& v : jack_b) v = v / med_a;
  return bca(est, boot, acceleration({jack_a, jack_b}), level);
}

}  // namespace zs::stats
