// The report's "Alias-mapped zeroing" section (the mermap analogue,
// docs/alias-zeroing.md): for every group with alias points, each one's
// zero-phase median, the median of the same map/unmap sequence without the
// clears (samples.csv alias_map_ns), and zero minus mapping, the median of
// the per-sample differences: the analogue's own syscall cost, which the
// kernel does not pay, taken out. Then alias-page against alias-range:
// the ratio of zero medians with its bootstrap 95% interval, and the ratio
// of the net (zero minus mapping) medians.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/results_data.h"
#include "stats/stats.h"

namespace zs {

struct AliasEntry {
  std::string key, strategy, target;
  std::size_t n = 0;
  double zero_ns = 0;                    // median of the zero phase
  std::optional<double> map_ns, net_ns;  // mapping only; median of zero - mapping
};

struct AliasGroup {
  std::string group, target;
  std::vector<AliasEntry> entries;
  std::optional<stats::Interval> page_over_range;  // zero medians, alias-page / alias-range
  std::optional<double> net_page_over_range;       // the same of the net medians
  std::string net_note;                            // why there is no net ratio
};

struct AliasSection {
  std::vector<AliasGroup> groups;  // empty: no alias point
  bool shootdown = false;          // meta.json config.settings.shootdown
  bool hugetlb = false;            // some alias point is hugetlb: its alias has huge entries
};

AliasSection build_alias(const ResultsData& d, std::uint64_t seed = 1);
// "" when the run has no alias point.
std::string render_alias_text(const AliasSection& s);
std::string render_alias_markdown(const AliasSection& s);
nlohmann::json alias_json(const AliasSection& s);

}  // namespace zs
