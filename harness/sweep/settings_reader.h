// The [settings] table of a sweep file: counts bounded by common/limits.h,
// the label, the CPU and node (checked against this machine), metrics and
// event file (checked against the event data), sizes and durations.
#pragma once

#include "common/toml_reader.h"
#include "sweep/sweep_config.h"

namespace zs {

// Defaults when `t` is null (no [settings] table).
SweepSettings read_settings(const TomlReader& c, const toml::table* t);

}  // namespace zs
