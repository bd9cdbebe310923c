#include "results/results_data.h"

#include <filesystem>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/units.h"
#include "results/results_dir.h"
#include "results/samples_schema.h"

namespace zs {

namespace {
std::string str(const nlohmann::json& j, const char* ptr, const std::string& fallback = "unknown") {
  nlohmann::json::json_pointer p(ptr);
  if (!j.contains(p) || j.at(p).is_null()) return fallback;
  const auto& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

std::string PointInfo::group() const {
  return fmt::format("{} {}, access {}/{}, cache {}", backing, exact_size(folio_size), access, op,
                     cache);
}

std::string ResultsData::cpu() const { return str(meta, "/capability/cpu/model_name"); }
std::string ResultsData::kernel() const { return str(meta, "/capability/kernel/release"); }
std::string ResultsData::host() const { return str(meta, "/capability/host/name"); }
std::string ResultsData::label() const { return str(meta, "/label", ""); }
std::string ResultsData::thp() const { return str(meta, "/capability/thp/enabled"); }

const PhaseData* ResultsData::phase(const std::string& key, const std::string& ph) const {
  auto it = data.find(key);
  if (it == data.end()) return nullptr;
  auto jt = it->second.find(ph);
  return jt == it->second.end() || jt->second.ns.empty() ? nullptr : &jt->second;
}

ResultsData load_results(const std::string& dir) {
  ResultsData r;
  r.dir = dir;
  if (!std::filesystem::exists(dir + "/meta.json") ||
      !std::filesystem::exists(dir + "/samples.csv"))
    throw SetupError(
        fmt::format("{}: not a zeroscope results directory (meta.json and samples.csv expected); "
                    "make one with 'zeroscope run CONFIG'",
                    dir));
  r.meta = read_json(dir + "/meta.json");
  try {
    for (const auto& p : r.meta.at("config").at("points")) {
      PointInfo pi;
      pi.key = p.at("key");
      pi.backing = p.at("backing");
      pi.folio_size = p.at("folio_size");
      pi.strategy = p.at("strategy");
      // Axes that do not apply to a point (kernel-fault's primitive) are null.
      pi.primitive = p.contains("primitive") && p["primitive"].is_string()
                         ? p["primitive"].get<std::string>()
                         : "";
      pi.target = p.at("target");
      pi.access = p.at("access");
      pi.op = p.at("op");
      pi.cache = p.at("cache");
      r.points.push_back(pi);
    }
  } catch (const std::exception& e) {
    throw SetupError(fmt::format(
        "{}/meta.json: config.points malformed ({}); written by another zeroscope version?", dir,
        e.what()));
  }
  if (r.meta.contains("counters") && r.meta["counters"].contains("not_measured"))
    for (auto& [col, why] : r.meta["counters"]["not_measured"].items())
      r.not_measured[col] = why.get<std::string>();

  const SamplesFile samples = read_samples(dir + "/samples.csv");
  r.metric_columns = samples.layout.counters;
  for (const SampleRow& row : samples.rows) {
    if (!row.kept()) {
      if (row.phase == "access") ++r.left_out[row.left_out];
      continue;
    }
    PhaseData& d = r.data[row.key][row.phase];
    d.ns.push_back(double(row.ns));
    d.primitive = row.primitive;
    for (std::size_t k = 0; k < row.counters.size(); ++k)
      if (row.counters[k]) d.metrics[r.metric_columns[k]].push_back(*row.counters[k]);
  }
  return r;
}

}  // namespace zs
