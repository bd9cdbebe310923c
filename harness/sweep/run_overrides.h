// `run --repetitions N` and `run --pool N`: a run's own values over its
// config's settings.repetitions and settings.pool, for when the shipped
// file must run unchanged but shorter (a functional test under qemu, a
// quick look on a new machine). Recorded in meta.json's run_options; a
// resume keeps the run's (the CLI refuses new ones with a resume).
#pragma once

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "sweep/sweep_config.h"

namespace zs {

struct RunOverrides {
  std::optional<std::uint64_t> repetitions, pool;
};

// The overrides a run recorded in its meta.json run_options (none for a
// run without them, or one older than them).
RunOverrides recorded_run_overrides(const nlohmann::json& run_options);

// Sets them over the config's settings.
void apply_run_overrides(const RunOverrides& o, SweepSettings& s);

// Adds "repetitions" and "pool" to run_options where set.
void record_run_overrides(const RunOverrides& o, nlohmann::json& run_options);

}  // namespace zs
