#include "report/total_cost.h"

#include <map>
#include <vector>

namespace zs {

std::optional<stats::Summary> total_cost(const PhaseData* cost, const PhaseData* access) {
  if (cost == nullptr || access == nullptr) return std::nullopt;
  if (cost->samples.size() != cost->ns.size() || access->samples.size() != access->ns.size())
    return std::nullopt;
  std::map<std::uint64_t, double> acc;
  for (std::size_t k = 0; k < access->ns.size(); ++k) acc[access->samples[k]] = access->ns[k];
  std::vector<double> sums;
  for (std::size_t k = 0; k < cost->ns.size(); ++k)
    if (auto it = acc.find(cost->samples[k]); it != acc.end())
      sums.push_back(cost->ns[k] + it->second);
  if (sums.empty()) return std::nullopt;
  return stats::summarize(sums);
}

}  // namespace zs
