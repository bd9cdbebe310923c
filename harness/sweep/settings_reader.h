// The [settings] table of a sweep file: counts bounded by common/limits.h,
// the label, the CPU and node (checked against this machine), metrics and
// event file (checked against the event data), sizes and durations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/toml_reader.h"
#include "sweep/sweep_config.h"

namespace zs {

// nullopt when an LLC of `bytes` (given as `text`) fits in this machine's
// memory; else why not. Shared by the config's llc_size and --llc-size.
std::optional<std::string> llc_size_problem(std::string_view text, std::uint64_t bytes);

// Defaults when `t` is null (no [settings] table).
SweepSettings read_settings(const TomlReader& c, const toml::table* t);

}  // namespace zs
