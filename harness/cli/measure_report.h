// What `zeroscope measure` prints: the set-up lines ("# ..."), then one row
// per point with the medians of its kept samples (the sweep's keep rule:
// verified huge, not multiplexed).
#pragma once

#include <string>
#include <vector>

#include "results/samples_schema.h"
#include "sweep/sweep_config.h"
#include "sweep/sweep_session.h"

namespace zs::cli {

void print_measure_setup(const SweepSession& session, const SweepSettings& settings,
                         CacheState cache, Evict evict);
// rows[i]: the rows of point i.
void print_measure_table(const SweepSession& session,
                         const std::vector<std::vector<SampleRow>>& rows);

}  // namespace zs::cli
