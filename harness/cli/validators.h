// CLI11 checks built from the project's own tables, so that a flag is
// refused with the same bounds as the config key and in one line:
//   zeroscope trace: --pages: 0 is out of range; allowed: an integer in [1, ...] pages
// A check's message is what follows "--flag: " (main.cc prints the
// CLI::ValidationError as "zeroscope CMD: --flag: message").
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/errors.h"
#include "common/limits.h"

namespace zs::cli {

// A whole number (decimal, or hex with 0x) within `l` (common/limits.h).
// The value is rewritten in decimal, so CLI11's conversion reads exactly
// what was checked.
CLI::Validator within(const Limit& l);
// One of `choices`: "unknown 'x'; allowed: a, b". The choices are asked
// for when a value is checked, so they may come from the machine or disk.
CLI::Validator one_of(std::function<std::vector<std::string>()> choices,
                      std::string what = "allowed");
CLI::Validator one_of(std::vector<std::string> choices);
// A non-zero byte size (common/parse.h): "'x' is not a size; allowed: e.g. 32MiB".
CLI::Validator byte_size(std::string example);
// A results directory's label (common/limits.h: label_problem), the same
// rule as the config's `label`.
CLI::Validator label();

// An output path checked before anything is measured, with the fix:
// "results/x: the directory results cannot be written: Read-only file
// system; choose another place". A file (`is_dir` false) must not be a
// directory; a directory must not exist yet when `must_be_new`.
// Throws SetupError(about, ...).
void check_output_path(const std::string& path, bool is_dir, Option about);

// The line for a command line that names no known subcommand:
// "unknown subcommand 'rnu'; did you mean 'run'? allowed: run, report, ..."
// or "a subcommand is required; allowed: ..." (`error`, CLI11's message,
// when the command line has only flags).
std::string subcommand_problem(const CLI::App& app, int argc, const char* const* argv,
                               std::string_view error);

}  // namespace zs::cli
