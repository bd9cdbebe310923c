// Statistics fit for patch review, on raw samples: robust summaries,
// seeded bootstrap intervals (BCa), rank tests with tie correction, effect
// sizes, multiple-comparison adjustment, outlier and bimodality flags, and
// a least-squares cost model. Two-pass variance, never E[x^2] - mean^2.
// Linear algebra through Eigen.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace zs::stats {

struct Summary {
  std::size_t n = 0;
  double mean = 0, median = 0, stddev = 0;  // sample stddev (n - 1), two-pass; 0 for n < 2
  double cv = 0;                            // stddev / mean (0 when mean == 0)
  double mad = 0;                           // median absolute deviation, unscaled
  double min = 0, max = 0, p5 = 0, p25 = 0, p75 = 0, p95 = 0;
};
Summary summarize(std::span<const double> x);

// Linear interpolation between order statistics (numpy's default, R type 7).
double percentile(std::span<const double> x, double q);  // q in [0, 1]

struct Interval {
  double estimate = 0, lo = 0, hi = 0;
};
// Seeded BCa bootstrap 95% (or `level`) intervals, `resamples` >= 2000.
Interval bootstrap_median(std::span<const double> x, std::uint64_t seed, int resamples = 2000, double level = 0.95);
Interval bootstrap_mean(std::span<const double> x, std::uint64_t seed, int resamples = 2000, double level = 0.95);
// Ratio of medians b / a, resampling each group independently.
Interval bootstrap_median_ratio(std::span<const double> a, std::span<const double> b, std::uint64_t seed,
                                int resamples = 2000, double level = 0.95);

// Replicate runs per side (runs of samples): the ratio of the medians of
// run medians, b / a, with a two-level (hierarchical) bootstrap that
// resamples runs, then samples within each run, so run-to-run variance is
// in the interval; `p` is the two-sided bootstrap p of "ratio = 1"
// (2 x the smaller tail). Percentile interval, not BCa.
struct RunsRatio {
  Interval ratio;
  double p = 1;
};
RunsRatio bootstrap_runs_ratio(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b,
                               std::uint64_t seed, int resamples = 4000, double level = 0.95);

struct MannWhitney {
  double u = 0;   // U of the first sample
  double p = 1;   // two-sided
  bool exact = false;  // exact distribution (small samples, no ties), else normal approximation with tie correction
};
MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b);

// Median of all pairwise differences b_j - a_i.
double hodges_lehmann(std::span<const double> a, std::span<const double> b);
// P(b > a) - P(b < a) over all pairs, in [-1, 1].
double cliffs_delta(std::span<const double> a, std::span<const double> b);

// Holm-Bonferroni adjusted p-values, in the input order.
std::vector<double> holm(std::span<const double> p);

// Indices of outliers: |x - median| > k * 1.4826 * MAD (k = 3.5 by default).
std::vector<std::size_t> mad_outliers(std::span<const double> x, double k = 3.5);

// Two modes, e.g. THP fallback or remote NUMA memory in some samples:
// Sarle's bimodality coefficient (skewness^2 + 1) / (kurtosis + 3(n-1)^2/((n-2)(n-3)))
// above 5/9 with n >= 10.
struct Bimodality {
  double coefficient = 0;
  bool flagged = false;
};
Bimodality bimodality(std::span<const double> x);

// y = fixed + per_unit * x by least squares (Eigen), with R^2.
struct LinearFit {
  double fixed = 0, per_unit = 0, r2 = 0;
  std::size_t n = 0;
};
std::optional<LinearFit> fit_linear(std::span<const double> x, std::span<const double> y);

}  // namespace zs::stats
