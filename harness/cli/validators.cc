#include "cli/validators.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/parse.h"

namespace zs::cli {

CLI::Validator within(const Limit& l) {
  return CLI::Validator(
      [l](std::string& value) -> std::string {
        auto v = parse_u64(value);
        if (!v) return fmt::format("'{}' is not a number; allowed: {}", value, allowed(l));
        if (auto why = out_of_range(l, *v)) return *why;
        value = std::to_string(*v);
        return {};
      },
      fmt::format("[{}, {}]", l.min, l.max));
}

CLI::Validator one_of(std::function<std::vector<std::string>()> choices, std::string what) {
  return CLI::Validator(
      [choices = std::move(choices), what = std::move(what)](std::string& value) -> std::string {
        std::vector<std::string> names;
        try {
          names = choices();
        } catch (const SetupError& e) {
          return e.what();
        }
        if (std::find(names.begin(), names.end(), value) != names.end()) return {};
        return fmt::format("unknown '{}'; {}: {}", value, what, fmt::join(names, ", "));
      },
      "NAME");
}

CLI::Validator one_of(std::vector<std::string> choices) {
  return one_of([choices = std::move(choices)] { return choices; });
}

CLI::Validator byte_size(std::string example) {
  return CLI::Validator(
      [example = std::move(example)](std::string& value) -> std::string {
        auto v = parse_size(value);
        if (v && *v != 0) return {};
        return fmt::format("'{}' is not a size; allowed: e.g. {}", value, example);
      },
      "SIZE");
}

}  // namespace zs::cli
