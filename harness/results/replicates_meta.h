// A replicates parent (`zeroscope run --replicates N`): DIR/config.toml,
// DIR/rep-1..N (each an ordinary results directory) and DIR/meta.json with
// "kind": "replicates", the config's fingerprint, and per run its
// directory, order seed, status, exit code, start and end. The parent's
// meta.json is written atomically after every change of a run's status, so
// a resume knows which replicates are left.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace zs {

inline constexpr std::string_view kReplicatesKind = "replicates";

struct ReplicateRun {
  int number = 0;          // 1..N
  std::string dir;         // "rep-<number>", relative to the parent
  std::uint64_t seed = 0;  // the seed of its interleaved order
  // pending (not started) | running | complete | interrupted | time_budget | failed
  std::string status = "pending";
  std::optional<int> exit_code;  // the child's, once it ended
  std::string started, ended;    // UTC ISO 8601; "" until then
};

struct ReplicatesMeta {
  std::uint64_t config_seed = 0;  // the config's `seed`, which the runs' seeds derive from
  nlohmann::json config_fingerprint;
  std::string label;
  nlohmann::json run_options = nlohmann::json::object();  // passed to every child
  std::string status = "running";  // running | complete | interrupted | time_budget | failed
  std::string started, ended;
  std::vector<ReplicateRun> runs;
};

nlohmann::json to_json(const ReplicatesMeta& m);
// Checks every field; throws SetupError "PATH: runs[1].dir is 'x', expected
// 'rep-2'; ..." naming the fix for a file that is damaged or edited.
ReplicatesMeta replicates_meta_from_json(const nlohmann::json& j, const std::string& path);

// DIR/meta.json exists, is JSON and says "kind": "replicates". Never throws.
bool is_replicates_parent(const std::string& dir);
ReplicatesMeta read_replicates_meta(const std::string& dir);  // throws SetupError
void write_replicates_meta(const std::string& dir,
                           const ReplicatesMeta& m);  // atomic; throws WriteError

// "rep-3"
std::string replicate_dir_name(int number);

}  // namespace zs
