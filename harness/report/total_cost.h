// What the faulting program pays: the cost phase (zero, or fault for
// kernel-fault) plus the access phase of the same sample, summed per sample
// (rows paired by key and sample) and summarised; the report's `total`.
// The median of the sums, not the sum of the medians: a strategy that is
// cheap to zero but leaves the access cold pays for it in the same sample.
#pragma once

#include <optional>

#include "results/results_data.h"
#include "stats/stats.h"

namespace zs {

// nullopt without an access phase or without a sample that has both phases.
std::optional<stats::Summary> total_cost(const PhaseData* cost, const PhaseData* access);

}  // namespace zs
