#include "common/limits.h"

#include <fmt/format.h>

namespace zs {

std::string allowed(const Limit& l) {
  return fmt::format("an integer in [{}, {}]{}{}", l.min, l.max, l.unit.empty() ? "" : " ", l.unit);
}

std::optional<std::string> out_of_range(const Limit& l, std::uint64_t v) {
  if (v >= l.min && v <= l.max) return std::nullopt;
  return fmt::format("{} is out of range; allowed: {}", v, allowed(l));
}

}  // namespace zs
