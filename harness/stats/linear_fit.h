// The least-squares line y = fixed + per_unit * x, with R^2: the cost model
// of zeroing, cost = fixed + per-page x pages, that the report fits across
// folio sizes. Solved with Eigen (column-pivoting Householder QR).
#pragma once

#include <cstddef>
#include <optional>
#include <span>

namespace zs::stats {

struct LinearFit {
  double fixed = 0, per_unit = 0;
  double r2 = 0;  // 1 - SS_res / SS_tot; NaN when y is constant
  std::size_t n = 0;
};

// nullopt for fewer than two points or a constant x (no line is defined).
// x and y of different lengths is a bug: std::invalid_argument.
std::optional<LinearFit> fit_linear(std::span<const double> x, std::span<const double> y);

}  // namespace zs::stats
