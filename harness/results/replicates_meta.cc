#include "results/replicates_meta.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/build_info.h"
#include "common/errors.h"
#include "common/limits.h"
#include "results/results_dir.h"

namespace zs {

namespace {
const std::vector<std::string> kRunStatus = {"pending",     "running",     "complete",
                                             "interrupted", "time_budget", "failed"};

[[noreturn]] void damaged(const std::string& path, const std::string& problem) {
  throw SetupError(fmt::format(
      "{}: {}; the replicates' meta.json is damaged or was edited: restore it from a copy, or "
      "run the replicates again",
      path, problem));
}

std::string text_of(const nlohmann::json& j, const char* key, const std::string& path,
                    const std::string& where) {
  if (!j.contains(key) || !j.at(key).is_string())
    damaged(path, fmt::format("{}{} is missing or not a string", where, key));
  return j.at(key).get<std::string>();
}

nlohmann::json run_to_json(const ReplicateRun& r) {
  return {{"replicate", r.number},
          {"dir", r.dir},
          {"seed", r.seed},
          {"status", r.status},
          {"exit_code", r.exit_code ? nlohmann::json(*r.exit_code) : nlohmann::json()},
          {"started", r.started.empty() ? nlohmann::json() : nlohmann::json(r.started)},
          {"ended", r.ended.empty() ? nlohmann::json() : nlohmann::json(r.ended)}};
}
}  // namespace

std::string replicate_dir_name(int number) { return fmt::format("rep-{}", number); }

nlohmann::json to_json(const ReplicatesMeta& m) {
  nlohmann::json runs = nlohmann::json::array();
  for (const ReplicateRun& r : m.runs) runs.push_back(run_to_json(r));
  return {{"kind", std::string(kReplicatesKind)},
          {"schema", kResultsSchema},
          {"zeroscope", {{"version", build_version()}, {"commit", build_git_commit()}}},
          {"replicates", m.runs.size()},
          {"config_seed", m.config_seed},
          {"config_fingerprint", m.config_fingerprint},
          {"label", m.label},
          {"run_options", m.run_options},
          {"status", m.status},
          {"started", m.started},
          {"ended", m.ended.empty() ? nlohmann::json() : nlohmann::json(m.ended)},
          {"runs", runs}};
}

ReplicatesMeta replicates_meta_from_json(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object() || j.value("kind", "") != kReplicatesKind)
    damaged(path, fmt::format("\"kind\" is not \"{}\"", kReplicatesKind));
  ReplicatesMeta m;
  if (!j.contains("config_seed") || !j.at("config_seed").is_number_unsigned())
    damaged(path, "config_seed is missing or not a whole number");
  m.config_seed = j.at("config_seed").get<std::uint64_t>();
  m.config_fingerprint = j.value("config_fingerprint", nlohmann::json());
  if (!m.config_fingerprint.is_object()) damaged(path, "config_fingerprint is missing");
  if (j.contains("label") && j.at("label").is_string()) m.label = j.at("label");
  m.run_options = j.value("run_options", nlohmann::json::object());
  m.status = text_of(j, "status", path, "");
  m.started = text_of(j, "started", path, "");
  if (j.contains("ended") && j.at("ended").is_string()) m.ended = j.at("ended");
  if (!j.contains("runs") || !j.at("runs").is_array()) damaged(path, "runs is missing");
  const auto& runs = j.at("runs");
  if (out_of_range(limits::replicates, runs.size()))
    damaged(path, fmt::format("runs holds {} runs; {}", runs.size(),
                              *out_of_range(limits::replicates, runs.size())));
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const nlohmann::json& r = runs[i];
    const std::string where = fmt::format("runs[{}].", i);
    if (!r.is_object()) damaged(path, fmt::format("runs[{}] is not an object", i));
    ReplicateRun run;
    run.number = int(i) + 1;
    if (r.value("replicate", 0) != run.number)
      damaged(path, fmt::format("{}replicate is not {}", where, run.number));
    run.dir = text_of(r, "dir", path, where);
    if (run.dir != replicate_dir_name(run.number))
      damaged(path, fmt::format("{}dir is '{}', expected '{}'", where, run.dir,
                                replicate_dir_name(run.number)));
    if (!r.contains("seed") || !r.at("seed").is_number_unsigned())
      damaged(path, fmt::format("{}seed is missing or not a whole number", where));
    run.seed = r.at("seed").get<std::uint64_t>();
    run.status = text_of(r, "status", path, where);
    if (std::find(kRunStatus.begin(), kRunStatus.end(), run.status) == kRunStatus.end())
      damaged(path, fmt::format("{}status '{}' is not one of {}", where, run.status,
                                fmt::join(kRunStatus, ", ")));
    if (r.contains("exit_code") && r.at("exit_code").is_number_integer())
      run.exit_code = r.at("exit_code").get<int>();
    if (r.contains("started") && r.at("started").is_string()) run.started = r.at("started");
    if (r.contains("ended") && r.at("ended").is_string()) run.ended = r.at("ended");
    m.runs.push_back(run);
  }
  return m;
}

bool is_replicates_parent(const std::string& dir) {
  std::ifstream in(dir + "/meta.json", std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  return j.is_object() && j.contains("kind") && j.at("kind") == kReplicatesKind;
}

ReplicatesMeta read_replicates_meta(const std::string& dir) {
  const std::string path = dir + "/meta.json";
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw SetupError(fmt::format("{}: cannot be read; is {} a replicates directory?", path, dir));
  std::stringstream ss;
  ss << in.rdbuf();
  const nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded()) damaged(path, "not JSON");
  return replicates_meta_from_json(j, path);
}

void write_replicates_meta(const std::string& dir, const ReplicatesMeta& m) {
  write_json_atomically(dir, "meta.json", to_json(m));
}

}  // namespace zs
