#include "common/limits.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "common/parse.h"

namespace zs {

std::string allowed(const Limit& l) {
  return fmt::format("an integer in [{}, {}]{}{}", l.min, l.max, l.unit.empty() ? "" : " ", l.unit);
}

std::optional<std::string> out_of_range(const Limit& l, std::uint64_t v) {
  if (v >= l.min && v <= l.max) return std::nullopt;
  return fmt::format("{} is out of range; allowed: {}", v, allowed(l));
}

std::optional<std::string> label_problem(std::string_view label) {
  constexpr std::string_view kRule = "use letters, digits, '-', '_', '.'";
  if (label.size() > kLabelMax)
    return fmt::format("a label of {} characters is too long; at most {}, {}", label.size(),
                       kLabelMax, kRule);
  const bool ok = !label.empty() && std::all_of(label.begin(), label.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
  });
  if (ok) return std::nullopt;
  return fmt::format("'{}' cannot be a directory suffix; {}", printable(label), kRule);
}

std::string range_problem(std::uint64_t min, std::uint64_t max, std::int64_t got) {
  return fmt::format("must be in [{}, {}], got {}", min, max, got);
}

}  // namespace zs
