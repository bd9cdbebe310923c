#include "results/results_data.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/errors.h"
#include "memory/hugetlb_pool.h"
#include "results/results_dir.h"

namespace zs {

namespace {
std::string str(const nlohmann::json& j, const char* ptr, const std::string& fallback = "unknown") {
  nlohmann::json::json_pointer p(ptr);
  if (!j.contains(p) || j.at(p).is_null()) return fallback;
  const auto& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

const std::vector<std::string> kNotMetrics = {"key", "backing", "folio_size", "strategy", "primitive", "target",
                                              "access", "op", "cache", "evict", "batch", "width", "rep", "phase",
                                              "ns", "tsc", "batch_max_ns", "batches", "huge", "multiplexed",
                                              "pass", "left_out"};
}  // namespace

std::string PointInfo::group() const {
  return fmt::format("{} {}, access {}/{}, cache {}", backing, size_name(folio_size), access, op, cache);
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
  if (!std::filesystem::exists(dir + "/meta.json") || !std::filesystem::exists(dir + "/samples.csv"))
    throw SetupError(fmt::format("{}: not a zeroscope results directory (meta.json and samples.csv expected); "
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
      pi.primitive = p.contains("primitive") && p["primitive"].is_string() ? p["primitive"].get<std::string>() : "";
      pi.target = p.at("target");
      pi.access = p.at("access");
      pi.op = p.at("op");
      pi.cache = p.at("cache");
      r.points.push_back(pi);
    }
  } catch (const std::exception& e) {
    throw SetupError(fmt::format("{}/meta.json: config.points malformed ({}); written by another zeroscope version?", dir,
                                 e.what()));
  }
  if (r.meta.contains("counters") && r.meta["counters"].contains("not_measured"))
    for (auto& [col, why] : r.meta["counters"]["not_measured"].items()) r.not_measured[col] = why.get<std::string>();

  std::ifstream in(dir + "/samples.csv");
  std::string line;
  std::getline(in, line);
  const auto header = split_csv(line);
  auto col = [&](const char* n) {
    auto it = std::find(header.begin(), header.end(), n);
    if (it == header.end()) throw SetupError(fmt::format("{}/samples.csv: no '{}' column", dir, n));
    return std::size_t(it - header.begin());
  };
  const std::size_t c_key = col("key"), c_phase = col("phase"), c_ns = col("ns"), c_left = col("left_out"),
                    c_prim = col("primitive");
  std::vector<std::size_t> metric_cols;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (std::find(kNotMetrics.begin(), kNotMetrics.end(), header[i]) == kNotMetrics.end()) {
      metric_cols.push_back(i);
      r.metric_columns.push_back(header[i]);
    }
  while (std::getline(in, line)) {
    auto c = split_csv(line);
    if (c.size() != header.size()) continue;  // a torn last line
    if (!c[c_left].empty()) {
      if (c[c_phase] == "access") ++r.left_out[c[c_left]];
      continue;
    }
    PhaseData& d = r.data[c[c_key]][c[c_phase]];
    d.ns.push_back(std::stod(c[c_ns]));
    d.primitive = c[c_prim];
    for (std::size_t k = 0; k < metric_cols.size(); ++k)
      if (!c[metric_cols[k]].empty()) d.metrics[r.metric_columns[k]].push_back(std::stod(c[metric_cols[k]]));
  }
  return r;
}

}  // namespace zs
