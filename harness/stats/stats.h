// Statistics fit for patch review, on raw samples: robust summaries,
// seeded bootstrap intervals (BCa), rank tests with tie correction,
// multiple-comparison adjustment, outlier and bimodality flags. Two-pass
// variance, never E[x^2] - mean^2. The least-squares cost model is
// stats/linear_fit.h.
#pragma once

#include <cstdint>
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
// Ratio of medians b / a, resampling each group independently: a seeded
// BCa bootstrap 95% (or `level`) interval, `resamples` >= 2000.
Interval bootstrap_median_ratio(std::span<const double> a, std::span<const double> b,
                                std::uint64_t seed, int resamples = 2000, double level = 0.95);

// Replicate runs per side (runs of samples): the ratio of the medians of
// run medians, b / a, with a two-level (hierarchical) bootstrap that
// resamples runs, then samples within each run, so run-to-run variance is
// in the interval; `p` is the two-sided bootstrap p of "ratio = 1"
// (2 x the smaller tail). Percentile interval, not BCa.
struct RunsRatio {
  Interval ratio;
  double p = 1;
};
RunsRatio bootstrap_runs_ratio(const std::vector<std::vector<double>>& a,
                               const std::vector<std::vector<double>>& b, std::uint64_t seed,
                               int resamples = 4000, double level = 0.95);

struct MannWhitney {
  double u = 0;        // U of the first sample
  double p = 1;        // two-sided
  bool exact = false;  // exact distribution (small samples, no ties), else normal approximation
                       // with tie correction
};
MannWhitney mann_whitney(std::span<const double> a, std::span<const double> b);

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

}  // namespace zs::stats
