#include "report/compare_labels.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace zs {

std::string label_cells(const std::vector<std::string>& labels,
                        const std::vector<std::size_t>& widths) {
  std::vector<std::string> wide;
  std::string cells;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const bool fits = labels[i].size() <= widths[i];
    if (!fits) wide.push_back(labels[i]);
    cells += fmt::format("{}{:<{}}", i == 0 ? "" : " ", fits ? labels[i] : "", widths[i]);
  }
  return wide.empty() ? cells : fmt::format("{}\n{}", fmt::join(wide, " "), cells);
}

}  // namespace zs
