#include "results/fleet_dir.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "common/parse.h"

namespace zs {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace {

// A fleet of a thousand hosts writes well under 1 MiB; anything larger is
// not a fleet.json (a device, a log renamed by mistake).
constexpr std::uintmax_t kMaxFleetJson = 16u << 20;

constexpr const char* kRedo =
    "restore it from a copy, or run the fleet again with ./run.sh fleet INVENTORY CONFIG";

std::string text_of(const ojson& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

std::vector<std::string> strings_of(const ojson& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key) && j[key].is_array())
    for (const ojson& v : j[key])
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

ojson parse(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  try {
    return ojson::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    const auto line = 1 + std::count(text.begin(), text.begin() + long(at), '\n');
    throw SetupError(fmt::format(
        "{}:{}: {}; {}", file, line,
        at >= text.size() ? "the JSON ends early (the file was cut short)" : "not valid JSON",
        kRedo));
  }
}

// The host's results directory: a plain name or relative path inside the
// fleet directory; an absolute path or one climbing out of it is refused.
std::string results_path(const std::string& dir, const std::string& file, const FleetHost& h,
                         const ojson& entry) {
  if (!entry.contains("results") || !entry["results"].is_string() ||
      entry["results"].get<std::string>().empty())
    throw SetupError(fmt::format("{}: host '{}' is completed but names no results directory; {}",
                                 file, h.name, kRedo));
  const std::string rel = entry["results"];
  const fs::path p(rel);
  if (p.is_absolute() ||
      std::any_of(p.begin(), p.end(), [](const fs::path& c) { return c == ".."; }))
    throw SetupError(
        fmt::format("{}: host '{}': results '{}' is not a directory inside the fleet directory; {}",
                    file, h.name, printable(rel), kRedo));
  const fs::path abs = fs::absolute(fs::path(dir) / p).lexically_normal();
  if (!fs::is_directory(abs))
    throw SetupError(fmt::format(
        "{}: missing, though {} says host '{}' completed; restore the directory from the host "
        "(its zeroscope_dir/results/{}), or leave the host out of the report by removing its "
        "entry",
        printable((fs::path(dir) / p).string()), file, h.name, printable(rel)));
  return abs.string();
}

}  // namespace

std::vector<const FleetHost*> FleetDir::completed() const {
  std::vector<const FleetHost*> out;
  for (const FleetHost& h : hosts)
    if (h.completed()) out.push_back(&h);
  return out;
}

bool is_fleet_dir(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && fs::exists(fs::path(path) / "fleet.json", ec);
}

FleetDir read_fleet_dir(const std::string& path) {
  const std::string file = (fs::path(path) / "fleet.json").string();
  std::error_code ec;
  if (!fs::exists(file, ec))
    throw SetupError(fmt::format(
        "{}: missing; not a fleet directory (./run.sh fleet INVENTORY CONFIG makes one; a "
        "results directory is reported without {} host), or one that lost its record: {}",
        file, option_ref(Option::by), kRedo));
  if (!fs::is_regular_file(file, ec) || fs::file_size(file, ec) > kMaxFleetJson)
    throw SetupError(fmt::format("{}: not a regular file of at most 16 MiB; {}", file, kRedo));
  const ojson j = parse(file);
  if (!j.is_object())
    throw SetupError(
        fmt::format("{}: not a fleet record (a JSON object expected); {}", file, kRedo));
  const std::string schema = text_of(j, "schema");
  if (schema.empty())
    throw SetupError(fmt::format("{}: no schema ({} expected); {}", file, kFleetSchema, kRedo));
  if (schema != kFleetSchema)
    throw SetupError(
        fmt::format("{}: schema '{}' is not {}; read it with the zeroscope that wrote it", file,
                    printable(schema), kFleetSchema));
  if (!j.contains("hosts") || !j["hosts"].is_object() || j["hosts"].empty())
    throw SetupError(fmt::format("{}: no hosts (an object of hosts expected); {}", file, kRedo));
  FleetDir f;
  f.dir = path;
  f.name = text_of(j, "name");
  f.started = text_of(j, "started");
  f.ended = text_of(j, "ended");
  f.commit = text_of(j, "commit");
  f.zeroscope_version = text_of(j, "zeroscope_version");
  f.inventory = text_of(j, "inventory");
  f.config = text_of(j, "config");
  f.run_options = strings_of(j, "run_options");
  if (j.contains("resumes") && j["resumes"].is_number_unsigned()) f.resumes = j["resumes"];
  for (const auto& [name, entry] : j["hosts"].items()) {
    FleetHost h;
    h.name = printable(name);  // shown in every table: no control character reaches a terminal
    if (!entry.is_object() || !entry.contains("status") || !entry["status"].is_string() ||
        entry["status"].get<std::string>().empty())
      throw SetupError(
          fmt::format("{}: host '{}' has no status; {}", file, printable(name), kRedo));
    h.status = entry["status"];
    h.reason = text_of(entry, "reason");
    h.groups = strings_of(entry, "groups");
    h.started = text_of(entry, "started");
    h.ended = text_of(entry, "ended");
    h.commit = text_of(entry, "commit");
    if (h.completed()) {
      h.results = results_path(path, file, h, entry);
      h.results_path = (fs::path(path) / entry["results"].get<std::string>()).lexically_normal();
    }
    f.hosts.push_back(std::move(h));
  }
  return f;
}

}  // namespace zs
