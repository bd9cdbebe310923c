#include "stats/linear_fit.h"

#include <Eigen/Dense>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace zs::stats {

// Least squares on [1, x - mean(x)]: the same fit as on [1, x], but the
// columns are orthogonal, so a large x (bytes, pages) does not make the
// problem ill-conditioned; the intercept is moved back afterwards.
std::optional<LinearFit> fit_linear(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size())
    throw std::invalid_argument("stats::fit_linear: x and y differ in length");
  const std::size_t n = x.size();
  if (n < 2) return std::nullopt;
  const auto [mn, mx] = std::minmax_element(x.begin(), x.end());
  if (*mn == *mx) return std::nullopt;

  const auto rows = static_cast<Eigen::Index>(n);
  const Eigen::Map<const Eigen::VectorXd> xv(x.data(), rows), yv(y.data(), rows);
  const double xbar = xv.mean();
  Eigen::MatrixXd design(rows, 2);
  design.col(0).setOnes();
  design.col(1) = xv.array() - xbar;
  const Eigen::Vector2d beta = design.colPivHouseholderQr().solve(yv);

  LinearFit fit;
  fit.n = n;
  fit.per_unit = beta(1);
  fit.fixed = beta(0) - beta(1) * xbar;
  const double ss_res = (yv - design * beta).squaredNorm();
  const double ss_tot = (yv.array() - yv.mean()).matrix().squaredNorm();
  fit.r2 = ss_tot == 0 ? std::numeric_limits<double>::quiet_NaN() : 1 - ss_res / ss_tot;
  return fit;
}

}  // namespace zs::stats
