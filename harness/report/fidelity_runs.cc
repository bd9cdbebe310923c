#include "report/fidelity_runs.h"

#include <algorithm>

#include "report/report_runs.h"

namespace zs {

namespace {
double median_of_medians(const std::vector<std::vector<double>>& runs) {
  std::vector<double> medians;
  for (const auto& r : runs) medians.push_back(stats::summarize(r).median);
  return stats::summarize(medians).median;
}

std::size_t samples(const std::vector<std::vector<double>>& runs) {
  std::size_t n = 0;
  for (const auto& r : runs) n += r.size();
  return n;
}
}  // namespace

void fidelity_over_runs(std::vector<Fidelity>& f, const std::vector<ResultsData>& runs,
                        std::uint64_t seed) {
  if (runs.size() < 2) return;
  const std::vector<PointInfo>& points = runs.front().points;
  for (Fidelity& x : f) {
    const auto fault = run_values(runs, x.fault.key, "fault", "ns");
    if (fault.empty()) continue;
    x.runs = fault.size();
    x.fault_median = median_of_medians(fault);
    if (!x.measured()) continue;
    auto p = std::find_if(points.begin(), points.end(),
                          [&](const PointInfo& q) { return q.key == x.replica_key; });
    if (p == points.end()) continue;
    const auto replica = run_values(runs, x.replica_key, ResultsData::cost_phase(*p), "ns");
    if (replica.empty()) continue;
    x.replica_median = median_of_medians(replica);
    x.remainder_ns = x.fault_median - x.replica_median;
    x.ratio.reset();
    x.note.clear();
    if (x.replica_median <= 0) {
      x.note = "the replica's median of run medians is 0 ns: no ratio";
    } else if (samples(fault) < 2 || samples(replica) < 2) {
      x.note = "fewer than 2 samples on a side: no interval";
    } else {
      // bootstrap_runs_ratio(a, b) is b / a: fault / replica.
      x.ratio = stats::bootstrap_runs_ratio(replica, fault, seed).ratio;
    }
  }
}

}  // namespace zs
