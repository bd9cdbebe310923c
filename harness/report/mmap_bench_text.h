// What `zeroscope mmap-bench` prints, in the shapes of `perf bench mem
// mmap`: the header, one rate line per loop, and a summary line with a
// warning when the loops disagree or not every page was THP-backed.
#pragma once

#include <string>
#include <vector>

#include "measure/mmap_bench.h"

namespace zs {

// `warmup_note`: a line (without "# ") on the warm-up chosen, before the
// blank line that ends perf's header; "" for none.
std::string format_header(const MmapBenchConfig& cfg, const std::string& size_as_given,
                          const std::string& warmup_note = "");
std::string format_rate(double gib_s);  // perf's " %14lf GB/sec"
// The summary line, and a warning line when not every page was THP-backed.
std::string format_summary(const MmapBenchConfig& cfg, const std::vector<MmapLoopResult>& loops);

}  // namespace zs
