#include "sweep/replicates.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/errors.h"
#include "results/results_dir.h"
#include "sweep/run_meta.h"

namespace zs {

namespace {
namespace fs = std::filesystem;

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// splitmix64's finaliser: consecutive inputs give unrelated outputs.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The status a child left in its own meta.json; "" when it wrote none.
std::string child_status(const std::string& dir) {
  const nlohmann::json j = nlohmann::json::parse(file_text(dir + "/meta.json"), nullptr, false);
  if (!j.is_object() || !j.contains("status") || !j.at("status").is_string()) return "";
  return j.at("status").get<std::string>();
}

// A child that stopped between creating its directory and writing its
// meta.json left at most config.toml: nothing measured, so it starts anew.
void clear_unstarted(const std::string& rep) {
  for (const auto& e : fs::directory_iterator(rep))
    if (e.path().filename() != "config.toml")
      throw SetupError(Option::resume_dir,
                       fmt::format("{} has no meta.json but holds {}; move it away, then resume",
                                   rep, e.path().filename().string()));
  fs::remove_all(rep);
}
}  // namespace

std::uint64_t replicate_seed(std::uint64_t config_seed, int number) {
  return mix(config_seed + 0x9e3779b97f4a7c15ull * std::uint64_t(number));
}

ReplicatesMeta plan_replicates(int count, std::uint64_t config_seed,
                               const nlohmann::json& config_fingerprint, const std::string& label,
                               const nlohmann::json& run_options) {
  ReplicatesMeta m;
  m.config_seed = config_seed;
  m.config_fingerprint = config_fingerprint;
  m.label = label;
  m.run_options = run_options;
  for (int i = 1; i <= count; ++i) {
    ReplicateRun r;
    r.number = i;
    r.dir = replicate_dir_name(i);
    r.seed = replicate_seed(config_seed, i);
    m.runs.push_back(r);
  }
  return m;
}

void start_replicates(const std::string& dir, const std::string& config_text,
                      const ReplicatesMeta& meta) {
  if (fs::exists(dir))
    throw SetupError(Option::out_dir,
                     fmt::format("{} exists; choose another directory or resume it with {} {}", dir,
                                 option_ref(Option::resume_dir), dir));
  fs::create_directories(dir);
  write_file_atomically(dir, "config.toml", config_text);
  ReplicatesMeta m = meta;
  m.started = utc_iso_now();
  write_replicates_meta(dir, m);
}

ReplicatesMeta resumable_replicates(const std::string& dir) {
  ReplicatesMeta m = read_replicates_meta(dir);
  const nlohmann::json now = config_fingerprint(file_text(dir + "/config.toml"));
  if (!fs::exists(dir + "/config.toml") || now != m.config_fingerprint)
    throw SetupError(
        Option::resume_dir,
        fmt::format("{}/config.toml changed since the replicates started "
                    "(fingerprint {}, now {}); put the original back, or start "
                    "new replicates",
                    dir, fingerprint_text(m.config_fingerprint), fingerprint_text(now)));
  return m;
}

ReplicatesOutcome run_replicates(const ReplicatesRun& how, ReplicatesMeta& meta,
                                 ReplicateLauncher& launcher) {
  ReplicatesOutcome out;
  meta.status = "running";
  meta.ended.clear();
  if (meta.started.empty()) meta.started = utc_iso_now();
  write_replicates_meta(how.dir, meta);
  for (ReplicateRun& run : meta.runs) {
    if (run.status == "complete") continue;
    if (launcher.stop_requested()) {
      out.status = "interrupted";
      out.stopped_at = run.number;
      break;
    }
    const std::string rep = how.dir + "/" + run.dir;
    if (fs::exists(rep) && !fs::exists(rep + "/meta.json")) clear_unstarted(rep);
    const bool resumed = fs::exists(rep);
    std::vector<std::string> args = {"run"};
    if (resumed) {
      args.insert(args.end(), {"--resume", rep});
      args.insert(args.end(), how.resume_args.begin(), how.resume_args.end());
    } else {
      args.insert(args.end(),
                  {how.dir + "/config.toml", "--out", rep, "--replicate-number",
                   std::to_string(run.number), "--replicate-seed", std::to_string(run.seed)});
      args.insert(args.end(), how.pass_args.begin(), how.pass_args.end());
    }
    run.status = "running";
    run.exit_code.reset();
    if (run.started.empty()) run.started = utc_iso_now();
    run.ended.clear();
    write_replicates_meta(how.dir, meta);
    launcher.starting(run, meta.runs.size(), resumed);
    const int code = launcher.run(args);
    run.exit_code = code;
    run.ended = utc_iso_now();
    const std::string status = child_status(rep);
    run.status = status == "complete" && code == 0 ? "complete"
                 : status == "interrupted" || status == "time_budget" || status == "failed" ? status
                 : fs::exists(rep + "/meta.json") ? "interrupted"  // killed while measuring
                                                  : "failed";
    if (run.status == "failed" && !fs::exists(rep + "/meta.json")) run.status = "pending";
    write_replicates_meta(how.dir, meta);
    launcher.ended(run);
    if (run.status != "complete") {
      out.status = run.status == "pending" ? "failed" : run.status;
      out.exit_code = code == 0 ? 1 : code;
      out.stopped_at = run.number;
      break;
    }
  }
  if (out.status.empty()) out.status = "complete";
  meta.status = out.status;
  meta.ended = utc_iso_now();
  write_replicates_meta(how.dir, meta);
  return out;
}

}  // namespace zs
