#include "results/results_data.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

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

// meta.json as JSON, or a SetupError naming its line: a file cut short or
// edited by hand is not read as a run's description.
nlohmann::json read_meta(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    const std::size_t at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
    const auto line = 1 + std::count(text.begin(), text.begin() + long(at), '\n');
    throw SetupError(fmt::format(
        "{}:{}: {}; restore the file from a copy, or rerun the sweep", path, line,
        at >= text.size() ? "the JSON ends early (the file was cut short)" : "not valid JSON"));
  }
  if (!j.is_object() || !j.contains("config") || !j["config"].is_object() ||
      (j.contains("status") && !j["status"].is_string()))
    throw SetupError(
        fmt::format("{}: not a zeroscope meta.json (an object with a config and a status "
                    "expected); restore the file from a copy, or rerun the sweep",
                    path));
  return j;
}

// A completed run's samples.csv holds the rows its meta.json counts: fewer
// is a file cut short (at a sample boundary, which no row check sees).
void check_row_count(ResultsData& r, const SamplesFile& f, const std::string& csv_path,
                     bool lenient) {
  if (r.meta.value("status", "") != "complete") return;
  const auto* rows = r.meta.contains("samples") && r.meta["samples"].is_object() &&
                             r.meta["samples"].contains("rows")
                         ? &r.meta["samples"]["rows"]
                         : nullptr;
  if (rows == nullptr || !rows->is_number_unsigned()) return;
  std::uint64_t dup = 0;
  for (const DamagedRow& d : f.damaged) dup += d.kind == DamageKind::duplicated;
  const std::uint64_t have = f.rows_read - dup, want = rows->get<std::uint64_t>();
  if (have >= want) return;
  if (!lenient)
    throw SetupError(fmt::format(
        "{}:{}: ends after {} rows where meta.json counts {}; the file was cut short (restore "
        "it, or rerun with `{}` to report the rows that are left)",
        csv_path, have + 2, have, want, option_name(Option::lenient)));
  r.notes.push_back(fmt::format(
      "samples.csv holds {} of the {} rows meta.json counts: the file was cut short; the "
      "missing samples are not in these numbers",
      have, want));
}

}  // namespace

PointInfo point_info(const nlohmann::json& p) {
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
  if (p.contains("memory") && p["memory"].is_string()) pi.memory = p["memory"];
  return pi;
}

std::string PointInfo::group() const {
  // Memory only where it is not recycled: recycled groups read as they did.
  const std::string mem = memory == "recycled" ? "" : ", memory " + memory;
  if (access == "residency")  // no op: the probe only loads
    return fmt::format("{} {}, access residency, cache {}{}", backing, exact_size(folio_size),
                       cache, mem);
  return fmt::format("{} {}, access {}/{}, cache {}{}", backing, exact_size(folio_size), access, op,
                     cache, mem);
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

ResultsData load_results(const std::string& dir, bool lenient) {
  ResultsData r;
  r.dir = dir;
  if (!std::filesystem::is_directory(dir))
    throw SetupError(
        fmt::format("{}: not a zeroscope results directory (meta.json and samples.csv expected); "
                    "make one with 'zeroscope run CONFIG'",
                    dir));
  for (const char* file : {"meta.json", "samples.csv"})
    if (!std::filesystem::is_regular_file(dir + "/" + file))
      throw SetupError(
          fmt::format("{}/{}: missing; not a zeroscope results directory, or a damaged one "
                      "(restore the file from a copy, or rerun the sweep)",
                      dir, file));
  r.meta = read_meta(dir + "/meta.json");
  try {
    for (const auto& p : r.meta.at("config").at("points")) {
      r.points.push_back(point_info(p));
    }
    if (r.meta.contains("counters") && r.meta["counters"].contains("not_measured"))
      for (auto& [col, why] : r.meta["counters"]["not_measured"].items())
        r.not_measured[col] = why.get<std::string>();
  } catch (const std::exception& e) {
    throw SetupError(fmt::format(
        "{}/meta.json: config.points malformed ({}); written by another zeroscope version?", dir,
        e.what()));
  }

  const std::string csv_path = dir + "/samples.csv";
  std::set<std::string> keys;
  for (const PointInfo& p : r.points) keys.insert(p.key);
  ReadOptions opt;
  opt.lenient = lenient;
  opt.complete_run = r.meta.value("status", "") == "complete";
  opt.keys = &keys;
  const SamplesFile samples = read_samples(csv_path, opt);
  if (samples.rows_read == 0)
    throw SetupError(fmt::format(
        "{}:1: no samples (only the header line); nothing to report (restore the file, or "
        "complete the run with zeroscope run `{}` {})",
        csv_path, option_name(Option::resume_dir), dir));
  if (std::string s = damage_summary(samples, "samples.csv"); !s.empty()) r.notes.push_back(s);
  check_row_count(r, samples, csv_path, lenient);
  if (samples.unfinished > 0 || samples.torn)
    r.notes.push_back(fmt::format(
        "left out the last sample of samples.csv ({} row{}{}): the run was interrupted while "
        "writing it",
        samples.unfinished, samples.unfinished == 1 ? "" : "s",
        samples.torn ? " and a torn last line" : ""));
  if (samples.rows.empty())
    throw SetupError(fmt::format(
        "{}: no samples left after leaving out {} damaged or unfinished rows; nothing to report "
        "(restore the file, or rerun the sweep)",
        csv_path, samples.damaged.size() + samples.unfinished));
  r.metric_columns = samples.layout.counters;
  for (const SampleRow& row : samples.rows) {
    if (!row.kept()) {
      if (row.phase == "access") ++r.left_out[row.left_out];
      continue;
    }
    PhaseData& d = r.data[row.key][row.phase];
    d.ns.push_back(double(row.ns));
    d.samples.push_back(row.rep);
    d.primitive = row.primitive;
    for (std::size_t k = 0; k < row.counters.size(); ++k)
      if (row.counters[k]) d.metrics[r.metric_columns[k]].push_back(*row.counters[k]);
    if (row.fault_alloc_ns && row.fault_zero_ns && row.fault_map_ns) {
      d.fault_alloc_ns.push_back(double(*row.fault_alloc_ns));
      d.fault_zero_ns.push_back(double(*row.fault_zero_ns));
      d.fault_map_ns.push_back(double(*row.fault_map_ns));
    } else if (!row.fault_untraced.empty()) {
      ++d.fault_untraced[row.fault_untraced];
    }
    if (row.alias_map_ns) d.alias_map_ns.push_back(double(*row.alias_map_ns));
    if (row.host_settle_ns && row.host_settle_slow) {
      d.host_settle_ns.push_back(double(*row.host_settle_ns));
      d.host_settle_slow.push_back(double(*row.host_settle_slow));
    }
  }
  return r;
}

}  // namespace zs
