// meta.json of a results directory: what produced the samples (version,
// machine, config, placement, counters, pools), when, and at the end how
// many samples were kept and left out, and why.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "results/results_dir.h"
#include "sweep/sweep_session.h"

namespace zs {

struct RunMetaInputs {
  const SweepConfig& config;
  const SweepSession& session;
  const nlohmann::json& capability;
  const std::string& label;
  const nlohmann::json* previous = nullptr;  // the resumed run's meta.json
  std::uint64_t total = 0;                   // samples expected
  std::uint64_t done_before = 0;             // samples already in samples.csv
  nlohmann::json fingerprint;                // config_fingerprint(config.toml's bytes)
  nlohmann::json run_options;                // the options a resume reuses
  SamplesRepair repair;                      // what the resume cut from samples.csv
};
// The record written before the first sample, status "running".
nlohmann::json start_meta(const RunMetaInputs& in);
// The end: status, end time, samples done, kept and left out by reason.
void finish_meta(nlohmann::json& meta, RunStatus status, const CompletedSamples& after,
                 std::uint64_t total, std::uint64_t done_before, double wall_seconds);
// A failed run: status "failed", its end time and the reason.
void fail_meta(nlohmann::json& meta, const std::string& reason);

// A config file's bytes identified for a resume (not a security hash):
// {"fnv1a64": 16 hex digits, "bytes": length}.
nlohmann::json config_fingerprint(std::string_view bytes);
std::string fingerprint_text(const nlohmann::json& fingerprint);  // "0123...cdef/812 bytes"
// What differs between two expanded configs (meta.json's "config"), as
// "settings.repetitions was 2, now 3; ..."; "" when the sweep is the same.
std::string config_difference(const nlohmann::json& then, const nlohmann::json& now);

// Why a resumed run may not add samples to `then` (another machine or
// kernel), as "cpu model was 1 and is 2 now"; "" when they match.
std::string identity_difference(const nlohmann::json& then, const nlohmann::json& now);

}  // namespace zs
