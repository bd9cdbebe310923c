// `zeroscope measure --access residency`: the probe's per-page latencies,
// kept in memory (measure writes no results directory) and summarised
// after the table as `report` summarises residency.csv.
#pragma once

#include <vector>

#include "measure/experiment.h"
#include "results/residency_csv.h"
#include "sweep/sweep_session.h"

namespace zs::cli {

class MeasureResidency {
 public:
  // Collects through the session's residency sink when it has residency
  // points (a calibration); otherwise does nothing.
  explicit MeasureResidency(SweepSession& session);
  // The residency section for `points` (the session's), or nothing.
  void print(const std::vector<Point>& points) const;

 private:
  const SweepSession& session_;
  std::vector<ResidencyRow> rows_;
};

}  // namespace zs::cli
