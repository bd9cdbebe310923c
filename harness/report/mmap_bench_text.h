// What `zeroscope mmap-bench` prints, in the shapes of `perf bench mem
// mmap`: the header, one rate line per loop, and a summary line with a
// warning when the loops disagree or not every page was THP-backed.
#pragma once

#include <string>
#include <vector>

#include "measure/mmap_bench.h"

namespace zs {

std::string format_header(const MmapBenchConfig& cfg, const std::string& size_as_given);
std::string format_rate(double gib_s);  // perf's " %14lf GB/sec"
// The summary line, and a warning line when not every page was THP-backed.
std::string format_summary(const MmapBenchConfig& cfg, const std::vector<MmapLoopResult>& loops);

}  // namespace zs
