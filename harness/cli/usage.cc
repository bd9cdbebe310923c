#include "cli/usage.h"

#include <fmt/format.h>

#include "common/parse.h"

namespace zs::cli {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

CLI::Validator in_limit(const Limit& l) {
  return CLI::Validator(
      [l](std::string& text) -> std::string {
        auto v = parse_u64(text);
        if (!v) return fmt::format("'{}' is not an integer; allowed: {}", text, allowed(l));
        auto why = out_of_range(l, *v);
        return why ? *why : std::string();
      },
      allowed(l));
}

std::uint64_t flag_u64(std::string_view flag, const std::string& value, std::uint64_t lo,
                       std::uint64_t hi, std::string_view allowed) {
  auto v = parse_u64(value);
  if (!v) throw UsageError(fmt::format("{}: '{}' is not a number; allowed: {}", flag, value, allowed));
  if (*v < lo || *v > hi)
    throw UsageError(fmt::format("{}: {} is out of range; allowed: {}", flag, value, allowed));
  return *v;
}

}  // namespace zs::cli
