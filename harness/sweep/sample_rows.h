// From one measured sample to its samples.csv rows (one per phase), and the
// rule that keeps a sample in the statistics or leaves it out with a reason:
// the same for `run` and `measure`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "measure/experiment.h"
#include "results/samples_schema.h"

namespace zs {

class CounterSet;

// Why a sample does not enter the statistics ("" = kept): a huge backing
// that was not verified, or not huge, or a multiplexed counter reading.
std::string left_out_reason(const Point& p, const Sample& s);

// The counter columns of samples.csv for `counters` (none without): counted
// metrics, then those that could not be counted here (always empty).
SamplesLayout samples_layout(const CounterSet* counters);

// The phases a sample of `p` has rows for, in order: zero and access, or
// fault and access for kernel-fault. A sample is on disk only with all.
std::vector<std::string> sample_phases(const Point& p);

struct RowContext {
  const CounterSet* counters = nullptr;
  std::optional<double> tsc_hz;  // to turn batch ticks into ns
  bool record_batches = false;
};
// The sample's rows, zero, fault and access in that order (a phase the
// point does not have has no row), with `primitive` the real primitive
// ("" for kernel-fault) and `left_out` the reason, if any.
std::vector<SampleRow> sample_rows(const Point& p, const std::string& key,
                                   std::string_view primitive, const Sample& s,
                                   const RowContext& ctx, const std::string& left_out);

}  // namespace zs
