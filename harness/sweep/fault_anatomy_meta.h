// meta.json's `fault_anatomy`: the tracepoints a run opened for its
// kernel-fault samples, the tracefs it read them from, whether the spans
// could be formed and why not, what tracing costs a fault, and, at the end,
// how many fault rows carry spans and, for the others, why not.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "results/samples_schema.h"
#include "sweep/sweep_session.h"

namespace zs {

// The record written before the first sample.
nlohmann::json fault_anatomy_meta(const SweepSession& session);
// Adds `samples: {fault_rows, formed, unformed: {reason: count}}` from the
// run's whole samples.csv (resumed samples included).
void count_fault_anatomy(nlohmann::json& meta, const SamplesFile& samples);
// The run's warning about the tracing's cost, or "".
std::string fault_anatomy_warning(const SweepSession& session);

}  // namespace zs
