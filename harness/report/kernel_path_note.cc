#include "report/kernel_path_note.h"

#include <set>

#include "machine/kernel_path_text.h"

namespace zs {

std::vector<std::string> kernel_path_notes(const ResultsData& d) {
  static const nlohmann::json::json_pointer at("/capability/kernel/zeroing");
  const nlohmann::json* zeroing = d.meta.contains(at) ? &d.meta.at(at) : nullptr;
  std::set<std::pair<std::string, std::uint64_t>> seen;
  std::vector<std::pair<std::string, std::uint64_t>> folios;
  for (const PointInfo& p : d.points)
    if (p.backing != "base" && seen.insert({p.backing, p.folio_size}).second)
      folios.emplace_back(p.backing, p.folio_size);
  if (folios.empty()) return {};
  return kernel_path_lines(zeroing, folios);
}

}  // namespace zs
