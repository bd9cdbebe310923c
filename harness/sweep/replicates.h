// `zeroscope run --replicates N CONFIG`: N independent runs of one config,
// each a fresh process (so a fresh pool and freshly placed buffers) with
// its interleaved order re-drawn, into DIR/rep-1..N, and the parent's
// meta.json (results/replicates_meta.h). One run per side cannot tell a
// change from the machine drifting between runs; N runs can.
//
// The library plans the runs and keeps the parent's record; starting a
// child (posix_spawn of zeroscope itself), signals and exit codes belong
// to the CLI, behind ReplicateLauncher.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/replicates_meta.h"

namespace zs {

// The seed of replicate `number`'s interleaved order (1..N), derived from
// the config's seed: distinct per replicate, the same on every resume.
std::uint64_t replicate_seed(std::uint64_t config_seed, int number);

// The record of N runs not yet started.
ReplicatesMeta plan_replicates(int count, std::uint64_t config_seed,
                               const nlohmann::json& config_fingerprint, const std::string& label,
                               const nlohmann::json& run_options);

// Starts one child zeroscope with `args` (after the program name) and
// waits for it; returns its exit status (128 + N when killed by signal N).
class ReplicateLauncher {
 public:
  virtual ~ReplicateLauncher() = default;
  virtual int run(const std::vector<std::string>& args) = 0;
  // A stop was asked for (SIGINT): start no further replicate.
  virtual bool stop_requested() = 0;
  virtual void starting(const ReplicateRun& /*run*/, std::size_t /*count*/, bool /*resumed*/) {}
  virtual void ended(const ReplicateRun& /*run*/) {}
};

// Options every child gets ("--wait", "--reserve-hugetlb", ...), as
// arguments; the child's own results directory and seed are added here.
struct ReplicatesRun {
  std::string dir;                       // the parent
  std::vector<std::string> pass_args;    // to a new child
  std::vector<std::string> resume_args;  // to a resumed child
};

struct ReplicatesOutcome {
  std::string status;             // complete | interrupted | time_budget | failed
  int exit_code = 0;              // the child's that stopped the replicates; 0 when none did
  std::optional<int> stopped_at;  // that replicate's number
};

// A new parent: DIR must not exist; DIR/config.toml (the config's bytes)
// and DIR/meta.json are written before any child starts. Throws SetupError
// / WriteError.
void start_replicates(const std::string& dir, const std::string& config_text,
                      const ReplicatesMeta& meta);

// The parent of `dir`, checked for a resume: its meta.json, and its
// config.toml unchanged since it started (the fingerprint).
ReplicatesMeta resumable_replicates(const std::string& dir);

// Runs every replicate not complete, in order: a new child for one never
// started, a resume for one that has its meta.json. The parent's meta.json
// is rewritten at each start and end. Stops at the first child that does
// not complete (its status and exit code returned), or when a stop is
// asked for between children.
ReplicatesOutcome run_replicates(const ReplicatesRun& how, ReplicatesMeta& meta,
                                 ReplicateLauncher& launcher);

}  // namespace zs
