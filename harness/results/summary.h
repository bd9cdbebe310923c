// summary.csv: per point (key) and phase, per measured column (ns, tsc,
// counters, batch_max_ns), over the kept samples: n, mean, median, stddev
// (two-pass, sample), min, p5, p95, by stats::summarize. A column never
// measured for a point has no row, not zeros; n counts measured values only.
#pragma once

#include <string>
#include <vector>

#include "results/samples_schema.h"
#include "stats/stats.h"

namespace zs {

struct SummaryRow {
  std::string key, phase, column;
  stats::Summary s;
};

// In the order (key, phase) first appear in the samples, columns in the
// header's order.
std::vector<SummaryRow> summarize_samples(const SamplesFile& samples);

// "key,phase,column,n,mean,median,stddev,min,p5,p95" and the rows, six
// significant digits; stddev empty for n < 2.
std::string format_summary(const std::vector<SummaryRow>& rows);
// Written through a temporary file and a rename.
void write_summary_csv(const std::vector<SummaryRow>& rows, const std::string& path);

}  // namespace zs
