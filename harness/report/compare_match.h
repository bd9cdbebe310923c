// Which points of two results directories `compare` sets against each
// other: equal in every axis but the ignored ones. A kernel-fault point has
// no primitive, so when the strategy is ignored it matches the points of
// the other directory that differ from it only in strategy and primitive
// (the replica of the kernel's path, whatever primitive it ran with).
#pragma once

#include <string>
#include <vector>

#include "results/results_data.h"

namespace zs {

// The axes `--ignore` may name.
const std::vector<std::string>& compare_axes();

// Throws SetupError(Option::ignore) for an axis not in compare_axes().
void check_ignored_axes(const std::vector<std::string>& ignore);

class PointMatcher {
 public:
  // Throws SetupError(Option::ignore) when two points of `d` become one
  // under the ignored axes.
  PointMatcher(const ResultsData& d, const std::vector<std::string>& ignore);
  // The points of this directory that `p` (of another) matches.
  std::vector<const PointInfo*> matches(const PointInfo& p) const;

 private:
  const ResultsData& d_;
  std::vector<std::string> ignore_;
  bool loose_;  // the strategy is ignored: kernel-fault matches any primitive
};

// Why no point matched: the ignored axes and the axes whose values the two
// directories do not share, e.g. "strategy (kernel-fault vs sequential)",
// and what to try. Names option_ref(Option::ignore).
std::string no_match_reason(const ResultsData& a, const ResultsData& b,
                            const std::vector<std::string>& ignore);

}  // namespace zs
