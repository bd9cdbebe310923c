// Figures that used to be asserted in unit tests (a bootstrap under 100 ms,
// TSC calibration runs within 2% of each other) and depend on the machine's
// load: measured and reported here instead, never a test failure.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "machine/tsc.h"
#include "stats/stats.h"

namespace zs::bench {
namespace {

std::vector<double> normal_sample(std::uint64_t seed, std::size_t n, double mean, double sd) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> d(mean, sd);
  std::vector<double> x(n);
  for (double& v : x) v = d(rng);
  return x;
}

// The interval every report and compare line computes: ratio of medians of
// two groups of 200 samples, 2000 BCa resamples (was: under 100 ms).
void BM_BootstrapMedianRatio(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto a = normal_sample(1, n, 50, 5), b = normal_sample(2, n, 55, 5);
  std::uint64_t seed = 0;
  for (auto _ : state) {
    stats::Interval i = stats::bootstrap_median_ratio(a, b, seed++);
    benchmark::DoNotOptimize(i);
  }
}
BENCHMARK(BM_BootstrapMedianRatio)
    ->Name("stats/bootstrap_median_ratio")
    ->Arg(200)
    ->Unit(benchmark::kMillisecond);

// Timestamp-counter calibration against CLOCK_MONOTONIC (3 x 20 ms): the
// spread of its runs, and its distance from the best non-calibrated source
// (CPUID, kernel, hypervisor) where there is one, both in parts per million
// of the rate (was: both under 2%).
void BM_TscCalibration(benchmark::State& state) {
  const TscInfo best = tsc_info();
  double spread = 0, off = 0;
  int n = 0;
  for (auto _ : state) {
    const auto c = calibrate_tsc();
    if (!c || c->hz <= 0) {
      state.SkipWithError("no timestamp counter on this architecture");
      return;
    }
    spread += c->spread_hz / c->hz;
    if (best.hz && !best.calibration) off += std::fabs(c->hz - *best.hz) / *best.hz;
    ++n;
  }
  state.counters["spread_ppm"] = 1e6 * spread / n;
  if (best.hz && !best.calibration) state.counters["vs_source_ppm"] = 1e6 * off / n;
}
BENCHMARK(BM_TscCalibration)->Name("tsc/calibration")->Iterations(5)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace zs::bench
