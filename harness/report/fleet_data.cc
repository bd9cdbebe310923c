// The csv and json of `report --by host` (report/fleet_report.h): one csv
// row per point and completed host, a point a host did not measure with
// empty numbers (measured 0); json with the fleet record, the hosts by
// vendor, the hosts that did not complete, the tables, each host's replica
// fidelity and the capability records.
#include <fmt/format.h>

#include "report/fleet_report.h"

namespace zs {

namespace {

using nlohmann::json;

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

json interval(const std::optional<stats::Interval>& i) {
  return i ? json{{"estimate", i->estimate}, {"lo", i->lo}, {"hi", i->hi}} : json();
}

}  // namespace

std::string render_fleet_csv(const FleetReport& r) {
  std::string o =
      "group,key,strategy,primitive,target,host,vendor,baseline,baseline_is_replica,measured,n,"
      "median_ns,is_baseline,baseline_key,ratio,ratio_lo,ratio_hi,interval,no_ratio\n";
  for (const FleetGroup& g : r.groups)
    for (const FleetRow& row : g.rows)
      for (std::size_t i = 0; i < row.cells.size(); ++i) {
        const FleetCell& c = row.cells[i];
        const FleetBaseline& b = g.baselines[i];
        o += fmt::format(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_cell(g.name),
            row.point.key, row.point.strategy, row.point.kernel_fault() ? "" : row.point.primitive,
            row.point.target, csv_cell(r.hosts[i].name), csv_cell(r.hosts[i].vendor), b.strategy,
            b.replica ? 1 : 0, c.measured ? 1 : 0, c.measured ? fmt::format("{}", c.n) : "",
            c.measured ? fmt::format("{}", c.median_ns) : "", c.is_baseline ? 1 : 0, c.baseline_key,
            c.ratio ? fmt::format("{:.6f}", c.ratio->estimate) : "",
            c.ratio ? fmt::format("{:.6f}", c.ratio->lo) : "",
            c.ratio ? fmt::format("{:.6f}", c.ratio->hi) : "",
            c.ratio ? (r.hosts[i].runs > 1 ? "runs" : "samples") : "", csv_cell(c.why));
      }
  return o;
}

json render_fleet_json(const FleetReport& r) {
  const FleetDir& f = r.fleet;
  json j = {{"dir", f.dir},
            {"command", r.command},
            {"fleet",
             {{"name", f.name},
              {"started", f.started},
              {"ended", f.ended.empty() ? json() : json(f.ended)},
              {"commit", f.commit.empty() ? json() : json(f.commit)},
              {"zeroscope_version", f.zeroscope_version},
              {"config", f.config},
              {"run_options", f.run_options},
              {"resumes", f.resumes}}},
            {"vendors", json::array()},
            {"hosts", json::array()},
            {"not_completed", json::array()},
            {"groups", json::array()}};
  for (const std::string& v : r.vendors) {
    json hosts = json::array();
    for (const FleetHostInfo& h : r.hosts)
      if (h.vendor == v) hosts.push_back(h.name);
    j["vendors"].push_back({{"vendor", v}, {"hosts", hosts}});
  }
  for (const FleetHostInfo& h : r.hosts) {
    json fid = json::array();
    for (const Fidelity& x : h.fidelity) {
      json e = fidelity_json(x);
      e["key"] = x.fault.key;
      fid.push_back(e);
    }
    j["hosts"].push_back({{"name", h.name},
                          {"vendor", h.vendor},
                          {"groups", h.groups},
                          {"results", h.dir},
                          {"runs", h.runs},
                          {"notes", h.notes},
                          {"fidelity", fid}});
  }
  for (const FleetHost& h : r.not_completed)
    j["not_completed"].push_back(
        {{"name", h.name}, {"status", h.status}, {"reason", h.reason}, {"groups", h.groups}});
  for (const FleetGroup& g : r.groups) {
    json baselines = json::object(), rows = json::array();
    for (std::size_t i = 0; i < r.hosts.size(); ++i)
      baselines[r.hosts[i].name] = {
          {"strategy", g.baselines[i].strategy.empty() ? json() : json(g.baselines[i].strategy)},
          {"replica", g.baselines[i].replica},
          {"why", g.baselines[i].why}};
    for (const FleetRow& row : g.rows) {
      json cells = json::object();
      for (std::size_t i = 0; i < row.cells.size(); ++i) {
        const FleetCell& c = row.cells[i];
        if (!c.measured) {
          cells[r.hosts[i].name] = nullptr;  // not measured: no number
          continue;
        }
        json x = {{"n", c.n},
                  {"median_ns", c.median_ns},
                  {"is_baseline", c.is_baseline},
                  {"ratio", interval(c.ratio)},
                  {"interval", r.hosts[i].runs > 1 ? "runs" : "samples"}};
        if (!c.baseline_key.empty()) x["baseline_key"] = c.baseline_key;
        if (!c.why.empty()) x["no_ratio"] = c.why;
        cells[r.hosts[i].name] = x;
      }
      rows.push_back({{"key", row.point.key},
                      {"strategy", row.point.strategy},
                      {"primitive", row.point.kernel_fault() ? json() : json(row.point.primitive)},
                      {"target", row.point.target},
                      {"cells", cells}});
    }
    j["groups"].push_back({{"name", g.name}, {"baselines", baselines}, {"rows", rows}});
  }
  std::vector<std::string> names;
  for (const FleetHostInfo& h : r.hosts) names.push_back(h.name);
  j["capability"] = fleet_capability_json(r.capability, names);
  return j;
}

}  // namespace zs
