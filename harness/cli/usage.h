// The CLI's two error tiers at the outermost level: a UsageError (bad flag
// or value) exits 2 with one line naming the flag and what is allowed.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/limits.h"

namespace zs::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr int kExitUsage = 2;

// join and flag_u64 remain only for the commands not yet moved to typed
// options (measure, run, report); new code uses fmt::join and the checks
// of cli/validators.h. Delete both once nothing calls them.
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

// The value of a flag given as a string, as a u64 in [lo, hi]; throws a
// UsageError naming the flag and the allowed range otherwise.
std::uint64_t flag_u64(std::string_view flag, const std::string& value, std::uint64_t lo,
                       std::uint64_t hi, std::string_view allowed);

// A CLI11 check of a value against its bounds in common/limits.h: "0 is
// out of range; allowed: an integer in [1, 1000000]".
CLI::Validator in_limit(const Limit& l);

// Each subcommand registers itself on the app and returns the function that
// runs it once parsed.
using Runner = std::function<int()>;
Runner add_trace(CLI::App& app);
Runner add_primitives(CLI::App& app);
Runner add_strategies(CLI::App& app);
Runner add_mmap_bench(CLI::App& app);
Runner add_measure(CLI::App& app);
Runner add_info(CLI::App& app);
Runner add_validate(CLI::App& app);
Runner add_run(CLI::App& app);
Runner add_report(CLI::App& app);
Runner add_compare(CLI::App& app);
Runner add_events(CLI::App& app);

}  // namespace zs::cli
