// The CLI's two error tiers at the outermost level: a UsageError (bad flag
// or value) exits 2 with one line naming the flag and what is allowed.
#pragma once

#include <functional>
#include <stdexcept>

#include <CLI/CLI.hpp>

namespace zs::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr int kExitUsage = 2;

// The help of --wait, the same for every command that changes a setting.
inline constexpr const char* kWaitHelp =
    "when a live run owns a setting this one changes, wait for it instead of refusing";

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
