#include "report/report_runs.h"

#include <fmt/format.h>

#include "report/fidelity_runs.h"

namespace zs {

namespace {
// Every run's samples in one ResultsData, so build_report lays out the
// tables (points, groups, baseline, counters) as for one run.
ResultsData merge_runs(const std::vector<ResultsData>& runs, const std::string& dir) {
  ResultsData merged = runs.front();
  merged.dir = dir;
  merged.notes.clear();
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const ResultsData& d = runs[i];
    for (const std::string& note : d.notes)
      merged.notes.push_back(note.find(d.dir) == std::string::npos ? d.dir + ": " + note : note);
    if (i == 0) continue;
    for (const auto& [why, n] : d.left_out) merged.left_out[why] += n;
    for (const auto& [key, phases] : d.data)
      for (const auto& [phase, pd] : phases) {
        PhaseData& m = merged.data[key][phase];
        m.ns.insert(m.ns.end(), pd.ns.begin(), pd.ns.end());
        for (std::uint64_t id : pd.samples) m.samples.push_back(std::uint64_t(i) << 32 | id);
        for (const auto& [col, v] : pd.metrics) {
          auto& mv = m.metrics[col];
          mv.insert(mv.end(), v.begin(), v.end());
        }
        if (m.primitive.empty()) m.primitive = pd.primitive;
      }
  }
  return merged;
}

// The median of run medians with its interval: the ratio against a side
// that is always 1.
stats::Interval runs_median(const std::vector<std::vector<double>>& runs, std::uint64_t seed) {
  return stats::bootstrap_runs_ratio({{1.0}}, runs, seed).ratio;
}
}  // namespace

std::vector<std::vector<double>> run_values(const std::vector<ResultsData>& runs,
                                            const std::string& key, const std::string& phase,
                                            const std::string& column) {
  std::vector<std::vector<double>> out;
  for (const ResultsData& d : runs) {
    const PhaseData* ph = d.phase(key, phase);
    if (ph == nullptr) continue;
    if (column == "ns") {
      if (!ph->ns.empty()) out.push_back(ph->ns);
      continue;
    }
    auto it = ph->metrics.find(column);
    if (it != ph->metrics.end() && !it->second.empty()) out.push_back(it->second);
  }
  return out;
}

Report build_runs_report(const std::vector<ResultsData>& runs, const std::string& dir,
                         const ReportOptions& opt) {
  if (runs.size() == 1) {  // an ordinary directory, or a parent with one run left (lenient)
    Report r = build_report(runs.front(), opt);
    r.dir = dir;
    return r;
  }
  const ResultsData merged = merge_runs(runs, dir);
  Report r = build_report(merged, opt);
  r.runs = runs.size();
  r.residency = build_residency(runs, merged.points, opt.lenient);
  fidelity_over_runs(r.fidelity, runs, opt.seed);
  r.control_runs = summarize_run_controls(runs);
  std::vector<double> ps;
  std::vector<ReportEntry*> with_p;
  for (ReportGroup& g : r.groups)
    for (ReportEntry& e : g.entries) {
      const auto cost = run_values(runs, e.point.key, e.cost_phase, "ns");
      if (!cost.empty()) {
        e.cost_runs = runs_median(cost, opt.seed);
        e.cost.median = e.cost_runs->estimate;
        if (e.cost.median > 0) e.gbs = double(e.point.folio_size) / e.cost.median;
      }
      if (e.metric && opt.metric != "ns") {
        const auto m = run_values(runs, e.point.key, e.cost_phase, opt.metric);
        if (!m.empty()) e.metric->median = runs_median(m, opt.seed).estimate;
      }
      if (!e.change || e.baseline_key.empty()) continue;
      std::string base_phase = "zero";
      for (const PointInfo& p : merged.points)
        if (p.key == e.baseline_key) base_phase = ResultsData::cost_phase(p);
      const stats::RunsRatio rr = stats::bootstrap_runs_ratio(
          run_values(runs, e.baseline_key, base_phase, opt.metric),
          run_values(runs, e.point.key, e.cost_phase, opt.metric), opt.seed);
      e.change = stats::Interval{rr.ratio.estimate - 1, rr.ratio.lo - 1, rr.ratio.hi - 1};
      e.p = rr.p;
      ps.push_back(rr.p);
      with_p.push_back(&e);
    }
  const std::vector<double> adj = stats::holm(ps);
  for (std::size_t i = 0; i < adj.size(); ++i) with_p[i]->p_holm = adj[i];
  r.comparisons = ps.size();
  r.folio_fits = fit_folio_sizes(r, base_page_of(merged.meta));
  return r;
}

std::string runs_header_text(const Report& r) {
  if (r.runs < 2) return "";
  return wrap_lines(
      fmt::format("runs: {} replicates. cost = median of run medians. baseline: {}. change = "
                  "{} ratio of the medians of run medians - 1, 95% interval and p from a "
                  "bootstrap over runs, then samples; p Holm-adjusted over {} comparisons.",
                  r.runs, r.baseline, r.metric == "ns" ? "time" : r.metric, r.comparisons),
      80, "");
}

std::string runs_header_markdown(const Report& r) {
  if (r.runs < 2) return "";
  return fmt::format(
      "**{} runs (replicates)**: cost = median of run medians; change and p from a bootstrap "
      "over runs, then samples.  \n",
      r.runs);
}

std::string runs_group_text(const ReportGroup& g) {
  std::string o;
  for (const ReportEntry& e : g.entries) {
    if (!e.cost_runs) continue;
    if (o.empty()) o = "cost, median of run medians [95% interval over runs], us:\n";
    o += wrap_lines(fmt::format("  {}/{}{}: {:.1f} [{:.1f}, {:.1f}]", e.point.strategy,
                                e.primitive.empty() ? "" : e.primitive + "/", e.point.target,
                                e.cost_runs->estimate / 1000.0, e.cost_runs->lo / 1000.0,
                                e.cost_runs->hi / 1000.0),
                    80, "    ");
  }
  return o;
}

void add_runs_json(const Report& r, nlohmann::json& j) {
  if (r.runs < 2) return;
  j["runs"] = r.runs;
  for (std::size_t gi = 0; gi < r.groups.size(); ++gi)
    for (std::size_t ei = 0; ei < r.groups[gi].entries.size(); ++ei) {
      const ReportEntry& e = r.groups[gi].entries[ei];
      if (!e.cost_runs) continue;
      j["groups"][gi]["entries"][ei]["cost_runs_ns"] = {
          {"median", e.cost_runs->estimate}, {"lo", e.cost_runs->lo}, {"hi", e.cost_runs->hi}};
    }
}

}  // namespace zs
