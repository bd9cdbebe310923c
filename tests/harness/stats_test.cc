// zs::stats against numpy/scipy answers in tests/stats/reference.json
// (written by tests/stats/make_reference.py, re-run here when /usr/bin/python3
// has scipy so the file cannot go stale), plus properties that need no
// reference: coverage of the bootstrap intervals, determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>
#include <nlohmann/json.hpp>

#include "stats/linear_fit.h"
#include "stats/stats.h"

namespace zs::stats {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kRefDir = fs::path(ZS_SOURCE_DIR) / "tests" / "stats";

json load(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return json::parse(in);
}

const json& reference() {
  static const json ref = load(kRefDir / "reference.json");
  return ref;
}

std::vector<double> vec(const json& j) { return j.get<std::vector<double>>(); }

// |got - want| <= rel * max(|want|, 1e-300) or both NaN / equal.
::testing::AssertionResult near_rel(double got, double want, double rel) {
  if (got == want || (std::isnan(got) && std::isnan(want))) return ::testing::AssertionSuccess();
  const double err = std::abs(got - want);
  if (err <= rel * std::max(std::abs(want), 1e-300)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << std::setprecision(17) << "got " << got << ", want " << want << " (relative error "
         << err / std::abs(want) << ")";
}

// Normal variates by Box-Muller from mt19937_64, so the simulated data are
// the same with every standard library (std::normal_distribution is not).
class Normal {
 public:
  explicit Normal(std::uint64_t seed) : rng_(seed) {}
  double operator()(double mu, double sigma) {
    if (have_spare_) {
      have_spare_ = false;
      return mu + sigma * spare_;
    }
    double u1;
    do u1 = uniform();
    while (u1 == 0);
    const double u2 = uniform();
    const double r = std::sqrt(-2 * std::log(u1));
    spare_ = r * std::sin(2 * std::numbers::pi * u2);
    have_spare_ = true;
    return mu + sigma * r * std::cos(2 * std::numbers::pi * u2);
  }
  std::vector<double> sample(std::size_t n, double mu, double sigma) {
    std::vector<double> x(n);
    for (double& v : x) v = (*this)(mu, sigma);
    return x;
  }

 private:
  double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  std::mt19937_64 rng_;
  double spare_ = 0;
  bool have_spare_ = false;
};

// ---------------------------------------------------------------------------
// The checked-in reference is what the script writes today.

void compare_json(const json& got, const json& want, const std::string& path,
                  std::vector<std::string>& diffs) {
  if (diffs.size() > 10) return;
  if (want.is_number() && got.is_number()) {
    const double g = got.get<double>(), w = want.get<double>();
    if (!(g == w || std::abs(g - w) <= 1e-12 * std::max(std::abs(w), 1e-300)))
      diffs.push_back(path + ": " + got.dump() + " vs checked-in " + want.dump());
  } else if (want.is_object() && got.is_object()) {
    for (const auto& [k, v] : want.items()) {
      if (k == "numpy" || k == "scipy") continue;  // versions: the values decide
      if (!got.contains(k))
        diffs.push_back(path + "/" + k + ": missing");
      else
        compare_json(got[k], v, path + "/" + k, diffs);
    }
    for (const auto& [k, v] : got.items())
      if (!want.contains(k)) diffs.push_back(path + "/" + k + ": not in the checked-in file");
  } else if (want.is_array() && got.is_array() && want.size() == got.size()) {
    for (std::size_t i = 0; i < want.size(); ++i)
      compare_json(got[i], want[i], path + "/" + std::to_string(i), diffs);
  } else if (got != want) {
    diffs.push_back(path + ": " + got.dump().substr(0, 80) + " vs checked-in " +
                    want.dump().substr(0, 80));
  }
}

TEST(StatsReference, CheckedInFileMatchesTheScript) {
  const char* python = "/usr/bin/python3";
  if (!fs::exists(python)) GTEST_SKIP() << python << " not found: reference.json not re-checked";
  if (std::system("/usr/bin/python3 -c 'import numpy, scipy' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << python << " lacks numpy/scipy: reference.json not re-checked";
  const fs::path out =
      fs::temp_directory_path() / ("zs_stats_reference_" + std::to_string(getpid()) + ".json");
  const std::string cmd = std::string(python) + " " + (kRefDir / "make_reference.py").string() +
                          " --out " + out.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const json fresh = load(out);
  fs::remove(out);
  std::vector<std::string> diffs;
  compare_json(fresh, reference(), "", diffs);
  std::string all;
  for (const auto& d : diffs) all += "\n  " + d;
  EXPECT_TRUE(diffs.empty()) << "reference.json is stale (numpy " << fresh["numpy"] << ", scipy "
                             << fresh["scipy"] << "); regenerate with /usr/bin/python3 "
                             << "tests/stats/make_reference.py and review:" << all;
}

// ---------------------------------------------------------------------------
// Summaries and percentiles.

TEST(StatsSummary, MatchesNumpy) {
  for (const auto& c : reference()["summary"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const auto x = vec(c["x"]);
    const Summary s = summarize(x);
    EXPECT_EQ(s.n, x.size());
    EXPECT_TRUE(near_rel(s.mean, c["mean"], 1e-13));
    // Offset data: 1e9 + N(0, 1) keeps its stddev only with two passes.
    EXPECT_TRUE(near_rel(s.stddev, c["stddev"], 1e-9));
    EXPECT_TRUE(near_rel(s.median, c["median"], 1e-12));
    EXPECT_TRUE(near_rel(s.mad, c["mad"], 1e-9));
    EXPECT_EQ(s.min, c["min"].get<double>());
    EXPECT_EQ(s.max, c["max"].get<double>());
    const auto qs = vec(c["q"]), want = vec(c["quantiles"]);
    for (std::size_t i = 0; i < qs.size(); ++i) {
      EXPECT_TRUE(near_rel(percentile(x, qs[i]), want[i], 1e-12)) << "q = " << qs[i];
      const double field = qs[i] == 0.05   ? s.p5
                           : qs[i] == 0.25 ? s.p25
                           : qs[i] == 0.75 ? s.p75
                           : qs[i] == 0.95 ? s.p95
                                           : want[i];
      EXPECT_TRUE(near_rel(field, want[i], 1e-12)) << "Summary field for q = " << qs[i];
    }
    EXPECT_TRUE(near_rel(s.cv, s.mean == 0 ? 0 : s.stddev / s.mean, 1e-15));
  }
}

TEST(StatsSummary, DegenerateInputs) {
  const Summary empty = summarize({});
  EXPECT_EQ(empty.n, 0u);
  EXPECT_TRUE(std::isnan(empty.mean) && std::isnan(empty.median) && std::isnan(empty.p95));
  EXPECT_TRUE(std::isnan(percentile({}, 0.5)));

  const std::vector<double> one{7.5};
  const Summary s = summarize(one);
  EXPECT_EQ(s.n, 1u);
  EXPECT_EQ(s.mean, 7.5);
  EXPECT_EQ(s.stddev, 0);
  EXPECT_EQ(s.cv, 0);
  EXPECT_EQ(s.p5, 7.5);
  EXPECT_EQ(s.p95, 7.5);

  const std::vector<double> zero_mean{-1, 1};
  EXPECT_EQ(summarize(zero_mean).cv, 0);
}

// ---------------------------------------------------------------------------
// Rank tests and effect sizes.

TEST(StatsMannWhitney, MatchesScipy) {
  int exact = 0, asymptotic = 0, tied = 0;
  for (const auto& c : reference()["mann_whitney"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const auto a = vec(c["a"]), b = vec(c["b"]);
    const MannWhitney r = mann_whitney(a, b);
    EXPECT_EQ(r.u, c["u"].get<double>());
    const bool want_exact = c["method"] == "exact";
    EXPECT_EQ(r.exact, want_exact);
    // Required: 1e-9 without ties, 1e-3 with ties. The tie correction is
    // scipy's formula, so the tied cases are held to 1e-9 as well.
    EXPECT_NEAR(r.p, c["p"].get<double>(), 1e-9);
    (c["ties"].get<bool>() ? tied : want_exact ? exact : asymptotic)++;
  }
  EXPECT_GE(exact, 8);
  EXPECT_GE(asymptotic, 4);
  EXPECT_GE(tied, 4);
}

TEST(StatsMannWhitney, SymmetricAndEmpty) {
  Normal normal(7);
  const auto a = normal.sample(12, 0, 1), b = normal.sample(9, 1, 1);
  const MannWhitney ab = mann_whitney(a, b), ba = mann_whitney(b, a);
  EXPECT_EQ(ab.u + ba.u, 12.0 * 9.0);
  EXPECT_DOUBLE_EQ(ab.p, ba.p);
  EXPECT_TRUE(std::isnan(mann_whitney({}, b).p));
}

// ---------------------------------------------------------------------------
// Holm.

TEST(StatsHolm, HandComputed) {
  // Sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> 0.06.
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005};
  const auto adj = holm(p);
  const std::vector<double> want{0.03, 0.06, 0.06, 0.02};
  ASSERT_EQ(adj.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(adj[i], want[i], 1e-15) << i;

  // Capped at 1, and the cap carries through the running maximum.
  const std::vector<double> big{0.6, 0.5, 0.9};
  EXPECT_EQ(holm(big), (std::vector<double>{1, 1, 1}));
  // Ties keep the same adjusted value; a single p is unchanged.
  const std::vector<double> tied{0.02, 0.02, 0.2};
  const auto t = holm(tied);
  EXPECT_NEAR(t[0], 0.06, 1e-15);
  EXPECT_NEAR(t[1], 0.06, 1e-15);
  EXPECT_NEAR(t[2], 0.2, 1e-15);
  EXPECT_EQ(holm(std::vector<double>{0.3}), std::vector<double>{0.3});
  EXPECT_TRUE(holm({}).empty());
}

TEST(StatsHolm, MonotoneAndBounded) {
  std::mt19937_64 rng(5);
  for (int rep = 0; rep < 100; ++rep) {
    std::vector<double> p(1 + rep % 20);
    for (double& v : p) v = std::pow(static_cast<double>(rng() >> 11) * 0x1.0p-53, 3);
    const auto adj = holm(p);
    for (std::size_t i = 0; i < p.size(); ++i) {
      EXPECT_GE(adj[i], p[i]);
      EXPECT_LE(adj[i], 1.0);
      for (std::size_t j = 0; j < p.size(); ++j)
        if (p[i] <= p[j]) {
          EXPECT_LE(adj[i], adj[j]);
        }
    }
  }
}

// ---------------------------------------------------------------------------
// Outliers, bimodality, the linear model.

TEST(StatsMadOutliers, FindsPlantedOutliers) {
  Normal normal(3);
  auto x = normal.sample(200, 1000, 20);
  const std::vector<std::size_t> planted{17, 80, 151};
  x[17] = 2000;  // e.g. a sample preempted mid-run
  x[80] = 1400;
  x[151] = 300;
  EXPECT_EQ(mad_outliers(x), planted);
  EXPECT_TRUE(mad_outliers(normal.sample(200, 1000, 20)).size() <= 1);
  EXPECT_TRUE(mad_outliers({}).empty());
  // A tighter k flags more.
  EXPECT_GT(mad_outliers(x, 2.0).size(), planted.size());
}

TEST(StatsBimodality, MatchesScipyMoments) {
  for (const auto& c : reference()["bimodality"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const Bimodality b = bimodality(vec(c["x"]));
    EXPECT_TRUE(near_rel(b.coefficient, c["coefficient"], 1e-10));
    EXPECT_EQ(b.flagged, c["coefficient"].get<double>() > 5.0 / 9.0);
  }
}

TEST(StatsBimodality, FlagsTwoModesNotOne) {
  Normal normal(21);
  auto mix = normal.sample(70, 100, 4);         // huge pages
  const auto slow = normal.sample(30, 160, 4);  // THP fallback to 4K
  mix.insert(mix.end(), slow.begin(), slow.end());
  const Bimodality two = bimodality(mix);
  EXPECT_TRUE(two.flagged) << two.coefficient;
  const Bimodality one = bimodality(normal.sample(100, 100, 4));
  EXPECT_FALSE(one.flagged) << one.coefficient;
  // Under ten samples never flags; constant data has no coefficient.
  EXPECT_FALSE(bimodality(std::vector<double>{1, 1, 1, 9, 9, 9}).flagged);
  EXPECT_TRUE(std::isnan(bimodality(std::vector<double>(20, 4.0)).coefficient));
}

TEST(StatsFitLinear, ExactOnNoiselessData) {
  std::vector<double> x, y;
  for (int i = 1; i <= 64; ++i) {
    x.push_back(i * 4096.0 * 512);  // bytes of 2M folios: large x
    y.push_back(812.5 + 0.000375 * x.back());
  }
  const auto fit = fit_linear(x, y);
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->n, 64u);
  EXPECT_TRUE(near_rel(fit->fixed, 812.5, 1e-11));
  EXPECT_TRUE(near_rel(fit->per_unit, 0.000375, 1e-12));
  EXPECT_TRUE(near_rel(fit->r2, 1.0, 1e-14));
}

TEST(StatsFitLinear, MatchesNumpyOnNoisyData) {
  for (const auto& c : reference()["fit_linear"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const auto fit = fit_linear(vec(c["x"]), vec(c["y"]));
    ASSERT_TRUE(fit.has_value());
    EXPECT_TRUE(near_rel(fit->fixed, c["fixed"], 1e-9));
    EXPECT_TRUE(near_rel(fit->per_unit, c["per_unit"], 1e-10));
    EXPECT_TRUE(near_rel(fit->r2, c["r2"], 1e-12));
  }
}

TEST(StatsFitLinear, UndefinedFits) {
  const std::vector<double> one{1}, same_x{2, 2, 2}, y3{1, 2, 3};
  EXPECT_FALSE(fit_linear(one, one).has_value());
  EXPECT_FALSE(fit_linear(same_x, y3).has_value());
  EXPECT_THROW(fit_linear(y3, one), std::invalid_argument);
  const auto flat = fit_linear(y3, same_x);
  ASSERT_TRUE(flat.has_value());
  EXPECT_NEAR(flat->per_unit, 0, 1e-15);
  EXPECT_TRUE(std::isnan(flat->r2));  // constant y: nothing to explain
}

// ---------------------------------------------------------------------------
// Bootstrap.

TEST(StatsBootstrap, DeterministicPerSeed) {
  Normal normal(1);
  const auto x = normal.sample(40, 10, 2), y = normal.sample(35, 12, 2);
  const Interval a = bootstrap_median_ratio(x, y, 99), b = bootstrap_median_ratio(x, y, 99),
                 c = bootstrap_median_ratio(x, y, 100);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, b.hi);
  EXPECT_TRUE(a.lo != c.lo || a.hi != c.hi);
}

TEST(StatsBootstrap, DegenerateInputs) {
  const std::vector<double> one{3.5}, same(25, 2.0), two{1, 3};
  const Interval r = bootstrap_median_ratio(same, same, 1);
  EXPECT_EQ(r.estimate, 1.0);
  EXPECT_EQ(r.lo, 1.0);
  EXPECT_EQ(r.hi, 1.0);
  EXPECT_EQ(bootstrap_median_ratio(one, two, 1).lo, 2.0 / 3.5);
  EXPECT_TRUE(std::isnan(bootstrap_median_ratio({}, two, 1).estimate));
  // n = 2 on each side: a real interval within the ratios the data allow.
  const std::vector<double> other{2, 6};
  const Interval t = bootstrap_median_ratio(two, other, 1);
  EXPECT_EQ(t.estimate, 2.0);
  EXPECT_GE(t.lo, 2.0 / 3.0);
  EXPECT_LE(t.hi, 6.0);
  // A zero median in the denominator: no interval.
  const std::vector<double> zeros{0, 0, 0, 1}, pos{1, 2, 3};
  EXPECT_TRUE(std::isnan(bootstrap_median_ratio(zeros, pos, 1).lo));
  EXPECT_THROW(bootstrap_median_ratio(two, two, 1, 2000, 1.0), std::invalid_argument);
}

// scipy.stats.bootstrap(method='BCa') with 20000 resamples, against ours
// with as many: the two differ only by Monte Carlo error in the resamples.
// A ratio of medians hops between neighbouring order statistics of either
// side, on a fine grid: endpoints within 5% of the interval's width.
TEST(StatsBootstrap, AgreesWithScipyBCa) {
  for (const auto& c : reference()["bootstrap"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ASSERT_EQ(c["kind"], "ratio");
    const int resamples = c["resamples"];
    const Interval got = bootstrap_median_ratio(vec(c["a"]), vec(c["b"]), 1, resamples);
    const auto want = vec(c["ci"]);
    const double tol = 0.05 * (want[1] - want[0]);
    std::cout << c["name"] << ": ours [" << got.lo << ", " << got.hi << "], scipy [" << want[0]
              << ", " << want[1] << "]\n";
    EXPECT_NEAR(got.lo, want[0], tol);
    EXPECT_NEAR(got.hi, want[1], tol);
  }
}

// Coverage of the true value over 1000 simulated samples, n = 30 each,
// 2000 resamples each, every seed fixed. Binomial standard error of a 95%
// coverage over 1000 trials: 0.7 points.
struct Coverage {
  int hits = 0, trials = 0;
  double rate() const { return static_cast<double>(hits) / trials; }
};

TEST(StatsBootstrap, RatioCoverageOfNormalSamples) {
  Coverage cov;
  for (int trial = 0; trial < 1000; ++trial) {
    Normal normal(9000 + trial);
    const auto a = normal.sample(30, 100, 10), b = normal.sample(30, 120, 12);
    const Interval i = bootstrap_median_ratio(a, b, 11000 + trial);
    cov.hits += i.lo <= 1.2 && 1.2 <= i.hi;
    cov.trials++;
  }
  std::cout << "median ratio BCa coverage: " << cov.rate() << "\n";
  RecordProperty("ratio_coverage", std::to_string(cov.rate()));
  EXPECT_GE(cov.rate(), 0.92);
  EXPECT_LE(cov.rate(), 0.98);
}

}  // namespace
}  // namespace zs::stats

namespace zs::stats {
namespace {

std::vector<std::vector<double>> runs(std::mt19937_64& rng, int n_runs, int n, double centre,
                                      double run_sd) {
  std::normal_distribution<double> run_shift(0, run_sd), noise(0, 1);
  std::vector<std::vector<double>> out(static_cast<std::size_t>(n_runs));
  for (auto& r : out) {
    const double c = centre + run_shift(rng);
    for (int i = 0; i < n; ++i) r.push_back(c + noise(rng));
  }
  return out;
}

TEST(StatsRuns, RunLevelVarianceWidensTheIntervalAndKeepsPHonest) {
  // Same distribution on both sides, with runs that shift by much more than
  // the within-run noise: the per-sample test would cry wolf, this must not
  // (most of the time: count over seeds).
  int false_alarms = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    auto a = runs(rng, 3, 20, 100, 10), b = runs(rng, 3, 20, 100, 10);
    RunsRatio r = bootstrap_runs_ratio(a, b, seed, 2000);
    EXPECT_LE(r.ratio.lo, r.ratio.estimate);
    EXPECT_GE(r.ratio.hi, r.ratio.estimate);
    false_alarms += r.p < 0.05;
  }
  EXPECT_LE(false_alarms, 6);
}

TEST(StatsRuns, DetectsARealShiftWithTheRightSign) {
  std::mt19937_64 rng(9);
  auto a = runs(rng, 3, 20, 100, 2), b = runs(rng, 3, 20, 60, 2);
  RunsRatio r = bootstrap_runs_ratio(a, b, 3, 2000);
  EXPECT_NEAR(r.ratio.estimate, 0.6, 0.05);
  EXPECT_LT(r.ratio.hi, 1.0);
  EXPECT_LT(r.p, 0.01);
}

}  // namespace
}  // namespace zs::stats
