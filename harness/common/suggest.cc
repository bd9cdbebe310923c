#include "common/suggest.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>

namespace zs {

namespace {

// Levenshtein distance, ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> typo_of(std::string_view word, const std::vector<std::string>& choices) {
  std::optional<std::string> best;
  std::size_t best_d = SIZE_MAX;
  for (const auto& c : choices)
    if (std::size_t d = edit_distance(word, c);
        d < best_d && d <= std::max<std::size_t>(1, c.size() / 3))
      best = c, best_d = d;
  return best;
}

}  // namespace zs
