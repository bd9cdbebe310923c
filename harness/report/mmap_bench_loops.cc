#include "report/mmap_bench_loops.h"

#include <fmt/format.h>

#include "stats/stats.h"

namespace zs {

std::vector<SlowLoop> slow_loops(const std::vector<std::uint64_t>& ns, double threshold) {
  std::vector<SlowLoop> out;
  if (ns.size() < 2) return out;
  for (std::size_t i = 0; i < ns.size(); ++i) {
    std::vector<double> others;
    for (std::size_t k = 0; k < ns.size(); ++k)
      if (k != i) others.push_back(double(ns[k]));
    const double median = stats::percentile(others, 0.5);
    if (median > 0 && double(ns[i]) > median * (1 + threshold))
      out.push_back({i, double(ns[i]) / median});
  }
  return out;
}

std::string format_loop_checks(const std::vector<std::uint64_t>& ns) {
  if (ns.size() == 1)
    return "# NOTE: one loop: no variance is known; this rate alone cannot be compared with "
           "another (run more loops)\n";
  std::string out;
  for (const SlowLoop& s : slow_loops(ns))
    out += fmt::format(
        "# WARNING: loop {} took {:.2f}x the median time of the other loops: leave it out, or "
        "find why (a cold first loop on a VM pays host faults; also THP fallback, frequency)\n",
        s.index + 1, s.ratio);
  return out;
}

}  // namespace zs
