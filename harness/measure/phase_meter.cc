#include "measure/phase_meter.h"

#include <vector>

#include "stats/stats.h"

namespace zs {

MeterOverhead measure_meter_overhead(PhaseMeter& meter, int n) {
  std::vector<double> outer, inner;
  outer.reserve(std::size_t(n));
  inner.reserve(std::size_t(n));
  PhaseMeter clock_only;
  for (int i = 0; i < n; ++i) {
    clock_only.start();
    meter.start();
    PhaseReading r = meter.stop();
    outer.push_back(double(clock_only.stop().ns));
    inner.push_back(double(r.ns));
  }
  return {stats::percentile(outer, 0.5), stats::percentile(inner, 0.5)};
}

}  // namespace zs
