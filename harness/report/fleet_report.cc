#include "report/fleet_report.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/units.h"
#include "report/fidelity_runs.h"
#include "report/report_runs.h"
#include "strategies/strategy.h"

namespace zs {

namespace {

// Axes of a point PointInfo does not carry, from meta.json's config.
struct Params {
  std::string evict;
  std::optional<std::uint64_t> width, batch;
};

std::optional<std::uint64_t> u64(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number_unsigned() ? std::optional(j[key].get<std::uint64_t>())
                                                        : std::nullopt;
}

std::map<std::string, Params> params_of(const nlohmann::json& meta) {
  std::map<std::string, Params> out;
  const nlohmann::json::json_pointer p("/config/points");
  if (!meta.contains(p) || !meta.at(p).is_array()) return out;
  for (const nlohmann::json& q : meta.at(p))
    if (q.is_object() && q.contains("key") && q["key"].is_string())
      out[q["key"]] = {q.contains("evict") && q["evict"].is_string() ? q["evict"] : "",
                       u64(q, "width"), u64(q, "batch")};
  return out;
}

// One host as the builder sees it.
struct HostView {
  const LoadedHost* l;
  std::map<std::string, Params> params;
  const ResultsData& d() const { return l->runs.front(); }
  bool has(const PointInfo& p) const {
    for (const ResultsData& r : l->runs)
      if (r.phase(p.key, ResultsData::cost_phase(p)) != nullptr) return true;
    return false;
  }
  std::vector<std::vector<double>> values(const PointInfo& p) const {
    return run_values(l->runs, p.key, ResultsData::cost_phase(p), "ns");
  }
};

// The recorded path's strategy with the parameters it takes.
bool is_path(const HostView& h, const PointInfo& p, const RecordedKernelPath& path) {
  if (!path.strategy || p.strategy != *path.strategy) return false;
  const Strategy* s = find_strategy(*path.strategy);
  auto it = h.params.find(p.key);
  const Params none;
  const Params& q = it == h.params.end() ? none : it->second;
  if (s != nullptr && s->uses_width && path.width && q.width != path.width) return false;
  if (s != nullptr && s->uses_batch && path.batch && q.batch != path.batch) return false;
  return true;
}

std::string path_name(const RecordedKernelPath& p) {
  std::string s = p.strategy.value_or("-");
  if (p.width) s += fmt::format(" w{}", *p.width);
  if (p.batch) s += *p.batch == 0 ? " b=whole" : fmt::format(" b{}", *p.batch);
  return s;
}

FleetBaseline pick_baseline(const HostView& h, const std::vector<const PointInfo*>& group,
                            const std::string& asked) {
  std::set<std::string> measured;
  for (const PointInfo* p : group)
    if (h.has(*p)) measured.insert(p->strategy);
  FleetBaseline b;
  if (!asked.empty()) {
    if (measured.count(asked))
      b.strategy = asked;
    else
      b.why = asked + " was asked for but not measured here: no ratios";
    return b;
  }
  const PointInfo& first = *group.front();
  std::string why;
  const auto path = recorded_kernel_path(h.d().meta, first.backing, first.folio_size, why);
  if (path && path->strategy) {
    for (const PointInfo* p : group)
      if (h.has(*p) && is_path(h, *p, *path)) {
        b.strategy = *path->strategy;
        b.replica = true;
        return b;
      }
    b.why = fmt::format("the replica of its kernel's path, {}, was not measured", path_name(*path));
  } else if (path) {
    b.why = "its kernel's path is not covered: " + path->reason;
  } else {
    b.why = why;
  }
  for (const char* s : {"upstream", "sequential"})
    if (measured.count(s)) {
      b.strategy = s;
      return b;
    }
  b.why += "; neither upstream nor sequential was measured: no ratios";
  return b;
}

// The baseline point a point is divided by on one host: same table,
// target, memory and evict; the baseline's strategy (with the path's
// parameters when it is the replica); the same primitive, or for
// kernel-fault the replica fidelity chose, else the kernel's primitive.
const PointInfo* baseline_point(const HostView& h, const FleetBaseline& b, const PointInfo& p,
                                const std::vector<Fidelity>& fidelity) {
  std::string why;
  const auto path =
      b.replica ? recorded_kernel_path(h.d().meta, p.backing, p.folio_size, why) : std::nullopt;
  if (p.kernel_fault() && b.replica)
    if (const Fidelity* f = find_fidelity(fidelity, p.key); f != nullptr && f->measured())
      for (const PointInfo& q : h.d().points)
        if (q.key == f->replica_key) return &q;
  auto evict = [&](const PointInfo& q) {
    auto it = h.params.find(q.key);
    return it == h.params.end() ? std::string() : it->second.evict;
  };
  std::vector<const PointInfo*> c;
  for (const PointInfo& q : h.d().points)
    if (q.strategy == b.strategy && q.group() == p.group() && q.target == p.target &&
        evict(q) == evict(p) && (!path || is_path(h, q, *path)) && h.has(q) &&
        (p.kernel_fault() || q.primitive == p.primitive))
      c.push_back(&q);
  for (const PointInfo* q : c)
    if (q->primitive == "kernel") return q;
  return c.empty() ? nullptr : c.front();
}

FleetCell cell(const HostView& h, const FleetBaseline& b, const PointInfo& p,
               const std::vector<Fidelity>& fidelity, std::uint64_t seed) {
  FleetCell c;
  const auto v = h.values(p);
  if (v.empty()) return c;
  c.measured = true;
  std::vector<double> medians;
  for (const auto& r : v) {
    c.n += r.size();
    medians.push_back(stats::summarize(r).median);
  }
  c.median_ns = stats::summarize(medians).median;
  if (b.strategy.empty()) {
    c.why = "no baseline on this host";
    return c;
  }
  const PointInfo* base = baseline_point(h, b, p, fidelity);
  if (base != nullptr && base->key == p.key) {
    c.is_baseline = true;
    return c;
  }
  if (base == nullptr) {
    c.why = "no " + b.strategy + " point beside it";
    return c;
  }
  c.baseline_key = base->key;
  const auto bv = h.values(*base);
  std::size_t nb = 0;
  for (const auto& r : bv) nb += r.size();
  if (c.n < 2 || nb < 2) {
    c.why = "fewer than 2 samples on a side";
    return c;
  }
  if (v.size() >= 2 && bv.size() >= 2)
    c.ratio = stats::bootstrap_runs_ratio(bv, v, seed).ratio;
  else
    c.ratio = stats::bootstrap_median_ratio(bv.front(), v.front(), seed);
  return c;
}

}  // namespace

std::string format_ratio(const stats::Interval& r) {
  auto one = [](double x) {
    return x < 10    ? fmt::format("{:.2f}", x)
           : x < 100 ? fmt::format("{:.1f}", x)
                     : fmt::format("{:.0f}", x);
  };
  return fmt::format("{} [{},{}]", one(r.estimate), one(r.lo), one(r.hi));
}

FleetReport build_fleet_report(const FleetHosts& f, const FleetReportOptions& opt) {
  FleetReport r;
  r.fleet = f.fleet;
  r.command = opt.command;
  r.vendors = f.vendors;
  r.not_completed = f.not_completed;
  std::vector<HostView> views;
  for (const LoadedHost& l : f.hosts) {
    views.push_back({&l, params_of(l.runs.front().meta)});
    FleetHostInfo info{
        l.host.name, l.vendor, l.host.results_path, l.host.status, l.host.groups, l.runs.size(),
        {},          {}};
    for (const ResultsData& d : l.runs)
      for (const std::string& note : d.notes) info.notes.push_back(note);
    info.fidelity = replica_fidelity(l.runs.front(), opt.seed);
    fidelity_over_runs(info.fidelity, l.runs, opt.seed);
    r.any_runs = r.any_runs || l.runs.size() > 1;
    r.hosts.push_back(std::move(info));
  }
  // The union of the hosts' points, in the first host's order, then the others'.
  std::vector<PointInfo> points;
  std::set<std::string> seen, strategies;
  for (const HostView& h : views)
    for (const PointInfo& p : h.d().points) {
      strategies.insert(p.strategy);
      if (seen.insert(p.key).second) points.push_back(p);
    }
  if (!opt.baseline.empty() && !strategies.count(opt.baseline))
    throw SetupError(Option::baseline,
                     fmt::format("'{}' is not a strategy of any host of {}; allowed: {}",
                                 opt.baseline, f.fleet.dir, fmt::join(strategies, ", ")));
  std::vector<std::string> names;
  std::map<std::string, std::vector<const PointInfo*>> by_group;
  for (const PointInfo& p : points) {
    if (!by_group.count(p.group())) names.push_back(p.group());
    by_group[p.group()].push_back(&p);
  }
  std::vector<std::pair<std::string, std::uint64_t>> folios;
  for (const std::string& name : names) {
    const std::vector<const PointInfo*>& group = by_group[name];
    FleetGroup g;
    g.name = name;
    for (const HostView& h : views) g.baselines.push_back(pick_baseline(h, group, opt.baseline));
    for (const PointInfo* p : group) {
      FleetRow row{*p, {}};
      bool any = false;
      for (std::size_t i = 0; i < views.size(); ++i) {
        row.cells.push_back(cell(views[i], g.baselines[i], *p, r.hosts[i].fidelity, opt.seed));
        any = any || row.cells.back().measured;
      }
      if (any) g.rows.push_back(std::move(row));
      if (!p->kernel_fault()) continue;
      g.fidelity_points.push_back(*p);
      g.fidelity.emplace_back();
      for (const FleetHostInfo& h : r.hosts) {
        const Fidelity* x = find_fidelity(h.fidelity, p->key);
        g.fidelity.back().push_back(x ? std::optional<Fidelity>(*x) : std::nullopt);
      }
    }
    const std::pair<std::string, std::uint64_t> folio{group.front()->backing,
                                                      group.front()->folio_size};
    if (std::find(folios.begin(), folios.end(), folio) == folios.end()) folios.push_back(folio);
    if (!g.rows.empty()) r.groups.push_back(std::move(g));
  }
  std::vector<const nlohmann::json*> metas;
  for (const LoadedHost& l : f.hosts) metas.push_back(&l.runs.front().meta);
  r.capability = fleet_capability(metas, folios);
  return r;
}

}  // namespace zs
