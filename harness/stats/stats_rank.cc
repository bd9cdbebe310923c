// The rank test on two independent samples, and the Holm adjustment.
// Mann-Whitney follows scipy.stats.mannwhitneyu (two-sided): its 'exact'
// method for small samples without ties, else 'asymptotic' with tie and
// continuity correction.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

#include "stats/stats.h"
#include "stats/stats_detail.h"

namespace zs::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Largest group for the exact distribution: the counts, at most
// C(50, 25) ~ 1.3e14, stay exact in a double.
constexpr std::size_t kExactMax = 25;

// Number of orderings of m + n distinct values giving each U = 0 .. m n:
// the coefficients of the Gaussian binomial [m + n choose m]_q, built as
// prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i); every partial product is itself
// a Gaussian binomial, so each division is exact in integers.
std::vector<std::int64_t> u_counts(std::size_t m, std::size_t n) {
  std::vector<std::int64_t> c(m * n + m + 1, 0);  // room for the product before dividing
  c[0] = 1;
  for (std::size_t i = 1; i <= m; ++i) {
    const std::size_t shift = n + i, top = (i - 1) * n + shift;
    for (std::size_t k = top; k >= shift; --k) c[k] -= c[k - shift];
    for (std::size_t k = i; k <= top; ++k) c[k] += c[k - i];  // leaves zeros above i n
  }
  c.resize(m * n + 1);
  return c;
}

// P(U >= u) under H0 for integral u, as scipy's _mwu_state.sf.
double exact_sf(std::size_t m, std::size_t n, double u) {
  const auto c = u_counts(std::min(m, n), std::max(m, n));
  const auto from = static_cast<std::size_t>(u);
  std::int64_t tail = 0, total = 0;
  for (std::size_t k = 0; k < c.size(); ++k) {
    total += c[k];
    if (k >= from) tail += c[k];
  }
  return static_cast<double>(tail) / static_cast<double>(total);
}

}  // namespace

// Either sample empty: u = 0, p = NaN (no test was possible).
MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b) {
  MannWhitney r;
  const std::size_t na = a.size(), nb = b.size(), n = na + nb;
  if (na == 0 || nb == 0) {
    r.p = kNaN;
    return r;
  }
  // Midranks over the pooled sample.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto value = [&](std::size_t i) { return i < na ? a[i] : b[i - na]; };
  std::sort(order.begin(), order.end(),
            [&](std::size_t i, std::size_t j) { return value(i) < value(j); });
  double rank_sum_a = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t lo = 0; lo < n;) {
    std::size_t hi = lo + 1;
    while (hi < n && value(order[hi]) == value(order[lo])) ++hi;
    const double t = static_cast<double>(hi - lo);
    const double midrank = (static_cast<double>(lo + 1) + static_cast<double>(hi)) / 2;
    for (std::size_t k = lo; k < hi; ++k)
      if (order[k] < na) rank_sum_a += midrank;
    tie_term += t * t * t - t;
    ties |= hi - lo > 1;
    lo = hi;
  }
  const double dna = static_cast<double>(na), dnb = static_cast<double>(nb);
  r.u = rank_sum_a - dna * (dna + 1) / 2;
  const double u_max = std::max(r.u, dna * dnb - r.u);

  if (!ties && na <= kExactMax && nb <= kExactMax) {
    r.exact = true;
    r.p = std::min(1.0, 2 * exact_sf(na, nb, u_max));
    return r;
  }
  // Normal approximation, scipy's _get_mwu_z: the continuity correction is
  // always subtracted because the upper tail of max(U1, U2) is used. With
  // every value tied s = 0 and z = -inf: p = 1 after clipping.
  const double dn = static_cast<double>(n);
  const double s = std::sqrt(dna * dnb / 12 * ((dn + 1) - tie_term / (dn * (dn - 1))));
  const double z = (u_max - dna * dnb / 2 - 0.5) / s;
  r.p = std::min(1.0, std::erfc(z / std::numbers::sqrt2));  // 2 * sf(z)
  return r;
}

// Step-down: the i-th smallest p (0-based) times (m - i), made monotone by
// a running maximum and capped at 1; returned in the input order.
std::vector<double> holm(std::span<const double> p) {
  const std::size_t m = p.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return p[i] < p[j]; });
  std::vector<double> adjusted(m);
  double running = 0;
  for (std::size_t i = 0; i < m; ++i) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - i) * p[order[i]]));
    adjusted[order[i]] = running;
  }
  return adjusted;
}

}  // namespace zs::stats
