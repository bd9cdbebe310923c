#include "sweep/run_overrides.h"

namespace zs {
namespace {

std::optional<std::uint64_t> recorded(const nlohmann::json& ro, const char* key) {
  if (!ro.is_object() || !ro.contains(key) || !ro.at(key).is_number_unsigned()) return std::nullopt;
  return ro.at(key).get<std::uint64_t>();
}

}  // namespace

RunOverrides recorded_run_overrides(const nlohmann::json& run_options) {
  return {recorded(run_options, "repetitions"), recorded(run_options, "pool")};
}

void apply_run_overrides(const RunOverrides& o, SweepSettings& s) {
  if (o.repetitions) s.repetitions = *o.repetitions;
  if (o.pool) s.pool = *o.pool;
}

void record_run_overrides(const RunOverrides& o, nlohmann::json& run_options) {
  if (o.repetitions) run_options["repetitions"] = *o.repetitions;
  if (o.pool) run_options["pool"] = *o.pool;
}

}  // namespace zs
