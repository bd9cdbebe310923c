#include "report/report.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "report/access_sensitivity_text.h"
#include "report/bimodal_note.h"
#include "report/kernel_path_note.h"
#include "report/metric_units.h"
#include "report/report_runs.h"
#include "report/total_cost.h"

namespace zs {

namespace {

std::string pct(double x) {  // x is a fraction: 0.123 -> "+12.3"
  const double v = x * 100;
  return std::fabs(v) < 10 ? fmt::format("{:+.1f}", v) : fmt::format("{:+.0f}", v);
}

std::string fit(std::string s, std::size_t w) { return s.size() <= w ? s : s.substr(0, w); }

std::string pick_baseline(const ResultsData& d, const std::string& asked) {
  std::set<std::string> have;
  for (const PointInfo& p : d.points) have.insert(p.strategy);
  if (!asked.empty()) {
    if (!have.count(asked)) {
      const std::string list = fmt::format("{}", fmt::join(have, ", "));
      throw SetupError(Option::baseline, fmt::format("'{}' is not a strategy of {}; allowed: {}",
                                                     asked, d.dir, list));
    }
    return asked;
  }
  for (const char* s : {"upstream", "sequential"})
    if (have.count(s)) return s;
  return d.points.empty() ? "" : d.points.front().strategy;
}

const std::string& baseline_of(const Report& r, const ReportGroup& g) {
  return g.baseline.empty() ? r.baseline : g.baseline;
}

// Said once in the header when a table has the replica as its baseline.
std::string replica_baseline_note(const Report& r) {
  std::set<std::string> replicas;
  for (const ReportGroup& g : r.groups)
    if (!g.baseline.empty()) replicas.insert(g.baseline);
  if (replicas.empty()) return "";
  return fmt::format("a table with kernel-fault: baseline the replica of this kernel's path ({}).",
                     fmt::join(replicas, ", "));
}

const std::vector<double>* values(const PhaseData* ph, const std::string& metric) {
  if (ph == nullptr) return nullptr;
  if (metric == "ns") return &ph->ns;
  auto it = ph->metrics.find(metric);
  return it == ph->metrics.end() || it->second.empty() ? nullptr : &it->second;
}

}  // namespace

std::string format_change(const stats::Interval& c) {
  return fmt::format("{}% [{},{}]", pct(c.estimate), pct(c.lo), pct(c.hi));
}

std::string format_p(double p) { return p < 0.001 ? "<0.001" : fmt::format("{:.3f}", p); }

std::string wrap_lines(const std::string& text, std::size_t width, const std::string& indent) {
  std::string out, line;
  // The first line keeps its own leading spaces.
  std::size_t pos = text.find_first_not_of(' ');
  if (pos == std::string::npos) return text + "\n";
  line = text.substr(0, pos);
  const std::string lead = line;
  while (pos < text.size()) {
    std::size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(pos, end - pos);
    const bool at_start = line == lead || line == indent;
    if (!at_start && line.size() + 1 + word.size() > width) {
      out += line + "\n";
      line = indent;
    } else if (!at_start) {
      line += " ";
    }
    line += word;
    pos = end + 1;
  }
  if (!line.empty()) out += line + "\n";
  return out;
}

Report build_report(const ResultsData& d, const ReportOptions& opt) {
  Report r;
  r.dir = d.dir;
  r.cpu = d.cpu();
  r.kernel = d.kernel();
  r.thp = d.thp();
  r.host = d.host();
  r.command = opt.command;
  r.metric = opt.metric;
  r.baseline = pick_baseline(d, opt.baseline);
  r.not_measured = d.not_measured;
  r.left_out = d.left_out;
  r.notes = d.notes;
  r.kernel_path = kernel_path_notes(d);
  r.machine = machine_header(d.meta);
  r.units = metric_units(d.meta);
  if (opt.metric != "ns" && std::find(d.metric_columns.begin(), d.metric_columns.end(),
                                      opt.metric) == d.metric_columns.end()) {
    std::vector<std::string> columns = {"ns"};
    columns.insert(columns.end(), d.metric_columns.begin(), d.metric_columns.end());
    const std::string list = fmt::format("{}", fmt::join(columns, ", "));
    throw SetupError(Option::metric,
                     fmt::format("'{}' is not a column of {}/samples.csv; allowed: {}", opt.metric,
                                 d.dir, list));
  }

  std::vector<double*> p_slots;
  std::vector<double> ps;
  for (const PointInfo& p : d.points) {
    auto git = std::find_if(r.groups.begin(), r.groups.end(),
                            [&](const ReportGroup& g) { return g.name == p.group(); });
    if (git == r.groups.end()) {
      r.groups.push_back({p.group(), {}, ""});
      git = r.groups.end() - 1;
    }
    ReportEntry e;
    e.point = p;
    e.cost_phase = ResultsData::cost_phase(p);
    const PhaseData* cost = d.phase(p.key, e.cost_phase);
    if (cost == nullptr) continue;  // no kept sample: listed nowhere as a number
    e.primitive = p.kernel_fault() ? "" : cost->primitive;
    e.cost = stats::summarize(cost->ns);
    e.gbs = e.cost.median > 0 ? std::optional<double>(double(p.folio_size) / e.cost.median)
                              : std::nullopt;
    if (const PhaseData* acc = d.phase(p.key, "access")) {
      e.access = stats::summarize(acc->ns);
      e.has_access = true;
    }
    e.total = total_cost(cost, d.phase(p.key, "access"));
    e.bimodal = stats::bimodality(cost->ns);
    e.outliers = stats::mad_outliers(cost->ns).size();
    for (const auto& col : d.metric_columns) {
      auto it = cost->metrics.find(col);
      if (it != cost->metrics.end() && !it->second.empty())
        e.counters.push_back({col, stats::summarize(it->second).median});
    }
    if (opt.metric != "ns")
      if (const auto* v = values(cost, opt.metric)) e.metric = stats::summarize(*v);
    git->entries.push_back(e);
  }
  r.fidelity = replica_fidelity(d, opt.seed);
  r.host_reported = host_reported_section(d, r.fidelity, opt.seed);
  if (opt.baseline.empty())
    for (ReportGroup& g : r.groups) g.baseline = replica_baseline(r.fidelity, g.name);
  // Changes against the baseline of the same group, target and primitive
  // (kernel-fault has none, so it is compared with the baseline of any, or
  // with its replica where that is the table's baseline).
  for (ReportGroup& g : r.groups)
    for (ReportEntry& e : g.entries) {
      const std::string& baseline = baseline_of(r, g);
      if (e.point.strategy == baseline) {
        e.is_baseline = true;
        continue;
      }
      const Fidelity* fid = g.baseline.empty() ? nullptr : find_fidelity(r.fidelity, e.point.key);
      const ReportEntry* base = nullptr;
      for (const ReportEntry& b : g.entries)
        if (fid != nullptr && fid->measured()
                ? b.point.key == fid->replica_key
                : b.point.strategy == baseline && b.point.target == e.point.target &&
                      (b.point.primitive == e.point.primitive || b.point.kernel_fault() ||
                       e.point.kernel_fault()))
          if (base == nullptr) base = &b;
      if (base == nullptr) continue;
      const auto* a = values(d.phase(base->point.key, base->cost_phase), opt.metric);
      const auto* b = values(d.phase(e.point.key, e.cost_phase), opt.metric);
      if (a == nullptr || b == nullptr || a->size() < 2 || b->size() < 2) continue;
      stats::Interval ratio = stats::bootstrap_median_ratio(*a, *b, opt.seed);
      e.change = stats::Interval{ratio.estimate - 1, ratio.lo - 1, ratio.hi - 1};
      e.baseline_key = base->point.key;
      e.p = stats::mann_whitney(*a, *b).p;
      ps.push_back(*e.p);
      p_slots.push_back(&e.p_holm.emplace(0));
    }
  auto adj = stats::holm(ps);
  for (std::size_t i = 0; i < adj.size(); ++i) *p_slots[i] = adj[i];
  r.comparisons = ps.size();
  r.folio_fits = fit_folio_sizes(r, base_page_of(d.meta));
  r.control = summarize_control(d.meta);
  r.fault_anatomy = build_fault_anatomy(d);
  r.alias = build_alias(d, opt.seed);
  r.residency = build_residency(d, opt.lenient);
  r.access_sensitivity = access_sensitivity_of(d.meta);
  return r;
}

std::string render_report_text(const Report& r) {
  std::string o;
  o += fmt::format("zeroscope report: {}\n", r.dir);
  for (const std::string& line : machine_header_lines(r.machine)) o += wrap_lines(line);
  if (!r.command.empty()) o += wrap_lines("command: " + r.command);
  for (const std::string& line : r.kernel_path) o += wrap_lines(line);
  for (const std::string& note : r.notes) o += wrap_lines(note);
  if (r.runs > 1) {
    o += runs_header_text(r);
  } else {
    o += fmt::format("baseline: {}. change = {} median ratio - 1, 95% BCa CI;\n", r.baseline,
                     r.metric == "ns" ? "time" : r.metric);
    o += fmt::format("p: Mann-Whitney two-sided, Holm-adjusted over {} comparisons.\n",
                     r.comparisons);
  }
  if (const std::string note = replica_baseline_note(r); !note.empty()) o += wrap_lines(note);
  bool any_kf = false, any_bimodal = false;
  for (const ReportGroup& g : r.groups) {
    o += "\n" + wrap_lines(g.name);
    // GB/s (folio / cost) is left to the markdown, csv and json: 80 columns.
    o += fmt::format("{:<12} {:<6} {:<6} {:>8} {:>3} {:>6} {:>6} {:<19} {:>6}\n", "strategy",
                     "prim", "target", r.metric == "ns" ? "cost us" : fit(r.metric, 8), "sd%",
                     "acc us", "tot us", fit("vs " + baseline_of(r, g), 19), "p");
    for (const ReportEntry& e : g.entries) {
      any_kf = any_kf || e.point.kernel_fault();
      any_bimodal = any_bimodal || e.bimodal.flagged;
      const bool metric_ns = r.metric == "ns";
      const double shown =
          metric_ns ? e.cost.median / 1000.0 : (e.metric ? e.metric->median : std::nan(""));
      std::string cost = std::isnan(shown) ? "-"
                         : metric_ns       ? fmt::format("{:.1f}", shown)
                                           : format_with_unit(shown, unit_of(r.units, r.metric));
      if (e.point.kernel_fault()) cost += "*";
      if (e.bimodal.flagged) cost += "b";
      const std::string sd =
          e.cost.mean > 0 ? fmt::format("{:.0f}", 100 * e.cost.stddev / e.cost.mean) : "-";
      const std::string tot = e.total ? fmt::format("{:.1f}", e.total->median / 1000.0) : "-";
      const std::string acc = e.has_access ? fmt::format("{:.2f}", e.access.median / 1000.0) : "-";
      const std::string change = e.is_baseline ? "(baseline)"
                                 : e.change    ? format_change(*e.change)
                                               : "-";
      const std::string p = e.p_holm ? format_p(*e.p_holm) : "";
      std::string line =
          fmt::format("{:<12} {:<6} {:<6} {:>8} {:>3} {:>6} {:>6} {:<19} {:>6}",
                      fit(e.point.strategy, 12), fit(e.primitive.empty() ? "-" : e.primitive, 6),
                      fit(e.point.target, 6), cost, sd, acc, tot, fit(change, 19), p);
      line.erase(line.find_last_not_of(' ') + 1);
      o += line + "\n";
    }
    o += runs_group_text(g);
    // Counters that were measured: one line per entry, wrapped at 80.
    bool any = false;
    for (const ReportEntry& e : g.entries) any = any || !e.counters.empty();
    if (any) {
      o += "counters (median per sample, cost phase; a count where no unit is shown):\n";
      for (const ReportEntry& e : g.entries) {
        std::string line = fmt::format("  {}/{}:", e.point.strategy, e.point.target);
        for (const auto& [name, v] : e.counters) {
          std::string item = " " + format_metric(name, v, r.units);
          if (line.size() + item.size() > 80) {
            o += line + "\n";
            line = "   ";
          }
          line += item;
        }
        o += line + "\n";
      }
    }
  }
  o += render_access_sensitivity_text(r.access_sensitivity);
  o += render_folio_fits_text(r.folio_fits);
  o += render_fidelity_text(r.fidelity);
  o += render_host_reported_text(r.host_reported);
  o += render_fault_anatomy_text(r.fault_anatomy);
  o += render_alias_text(r.alias);
  o += render_residency_text(r.residency);
  o += "\n";
  if (any_kf)
    o += "* kernel-fault: the fault phase (allocation + zeroing + mapping by the kernel).\n";
  if (any_bimodal) o += wrap_lines(bimodal_note(), 80, "   ");
  // Not measured, once per reason.
  std::map<std::string, std::vector<std::string>> by_reason;
  for (const auto& [col, why] : r.not_measured) by_reason[why].push_back(col);
  for (const auto& [why, cols] : by_reason) {
    std::string list;
    for (const auto& c : cols) list += " " + c;
    o += wrap_lines("not measured:" + list);
    o += wrap_lines("  because: " + why, 80, "    ");
  }
  if (r.left_out.empty()) {
    o += "left out: none.\n";
  } else {
    std::string s = "left out:";
    for (const auto& [why, n] : r.left_out) s += fmt::format(" {} {};", n, why);
    o += wrap_lines(s);
  }
  o += r.runs > 1 ? runs_control_text(r.control_runs) : control_report_text(r.control);
  return o;
}

std::string render_report_markdown(const Report& r) {
  std::string o = fmt::format("**zeroscope report** `{}`  \n", r.dir);
  for (const std::string& line : machine_header_lines(r.machine)) o += line + "  \n";
  if (!r.command.empty()) o += fmt::format("command: `{}`  \n", r.command);
  for (const std::string& line : r.kernel_path) o += fmt::format("{}  \n", line);
  for (const std::string& note : r.notes) o += fmt::format("**{}**  \n", note);
  if (r.runs > 1) o += runs_header_markdown(r);
  o += fmt::format(
      "Baseline `{}`; change = median ratio - 1 with 95% BCa CI; p = Mann-Whitney, Holm over {}.\n",
      r.baseline, r.comparisons);
  if (const std::string note = replica_baseline_note(r); !note.empty()) o += note + "\n";
  for (const ReportGroup& g : r.groups) {
    o += fmt::format(
        "\n### {}\n\n| strategy | primitive | target | cost median (us) | sd % | GB/s | access "
        "median (us) | total median (us) | change vs {} | p (Holm) "
        "|\n|---|---|---|---|---|---|---|---|---|---|\n",
        g.name, baseline_of(r, g));
    for (const ReportEntry& e : g.entries)
      o += fmt::format("| {}{} | {} | {} | {:.1f} | {:.0f} | {} | {} | {} | {} | {} |\n",
                       e.point.strategy, e.point.kernel_fault() ? " (fault)" : "",
                       e.primitive.empty() ? "-" : e.primitive, e.point.target,
                       e.cost.median / 1000.0,
                       e.cost.mean > 0 ? 100 * e.cost.stddev / e.cost.mean : 0,
                       e.gbs ? fmt::format("{:.1f}", *e.gbs) : "-",
                       e.has_access ? fmt::format("{:.2f}", e.access.median / 1000.0) : "-",
                       e.total ? fmt::format("{:.1f}", e.total->median / 1000.0) : "-",
                       e.is_baseline ? "baseline"
                       : e.change    ? format_change(*e.change)
                                     : "-",
                       e.p_holm ? format_p(*e.p_holm) : "");
  }
  o += render_access_sensitivity_markdown(r.access_sensitivity);
  o += render_folio_fits_markdown(r.folio_fits);
  o += render_fidelity_markdown(r.fidelity);
  o += render_fault_anatomy_markdown(r.fault_anatomy);
  o += render_host_reported_markdown(r.host_reported) + render_alias_markdown(r.alias);
  std::map<std::string, std::vector<std::string>> by_reason;
  for (const auto& [col, why] : r.not_measured) by_reason[why].push_back(col);
  for (const auto& [why, cols] : by_reason)
    o += fmt::format("\nNot measured: {} ({}).\n", fmt::join(cols, ", "), why);
  return o;
}

std::string render_report_csv(const Report& r) {
  std::string o =
      "group,key,strategy,primitive,target,cost_phase,n,median_ns,mean_ns,stddev_ns,p5_ns,p95_ns,"
      "gb_s,"
      "access_median_ns,total_median_ns,baseline,change,change_lo,change_hi,p,p_holm,bimodal,"
      "outliers\n";
  for (const ReportGroup& g : r.groups)
    for (const ReportEntry& e : g.entries)
      o += fmt::format("\"{}\",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                       g.name, e.point.key, e.point.strategy, e.primitive, e.point.target,
                       e.cost_phase, e.cost.n, e.cost.median, e.cost.mean, e.cost.stddev, e.cost.p5,
                       e.cost.p95, e.gbs ? fmt::format("{:.4f}", *e.gbs) : "",
                       e.has_access ? fmt::format("{}", e.access.median) : "",
                       e.total ? fmt::format("{}", e.total->median) : "", baseline_of(r, g),
                       e.change ? fmt::format("{:.6f}", e.change->estimate) : "",
                       e.change ? fmt::format("{:.6f}", e.change->lo) : "",
                       e.change ? fmt::format("{:.6f}", e.change->hi) : "",
                       e.p ? fmt::format("{:.6g}", *e.p) : "",
                       e.p_holm ? fmt::format("{:.6g}", *e.p_holm) : "", e.bimodal.flagged ? 1 : 0,
                       e.outliers);
  return o;
}

nlohmann::json render_report_json(const Report& r) {
  nlohmann::json j = {{"dir", r.dir},
                      {"cpu", r.cpu},
                      {"kernel", r.kernel},
                      {"thp", r.thp},
                      {"host", r.host},
                      {"command", r.command},
                      {"baseline", r.baseline},
                      {"metric", r.metric},
                      {"comparisons", r.comparisons},
                      {"not_measured", r.not_measured},
                      {"left_out", r.left_out}};
  if (!r.notes.empty()) j["notes"] = r.notes;
  j["kernel_path"] = r.kernel_path;
  j["machine"] = machine_header_json(r.machine);
  j["counter_units"] = r.units;
  auto summ = [](const stats::Summary& s) {
    return nlohmann::json{{"n", s.n},           {"mean", s.mean}, {"median", s.median},
                          {"stddev", s.stddev}, {"cv", s.cv},     {"mad", s.mad},
                          {"min", s.min},       {"p5", s.p5},     {"p95", s.p95},
                          {"max", s.max}};
  };
  for (const ReportGroup& g : r.groups) {
    nlohmann::json entries = nlohmann::json::array();
    for (const ReportEntry& e : g.entries) {
      nlohmann::json x = {{"key", e.point.key},
                          {"strategy", e.point.strategy},
                          {"primitive", e.primitive},
                          {"target", e.point.target},
                          {"cost_phase", e.cost_phase},
                          {"cost_ns", summ(e.cost)},
                          {"baseline", e.is_baseline},
                          {"bimodal", e.bimodal.flagged},
                          {"bimodality_coefficient", e.bimodal.coefficient},
                          {"outliers", e.outliers}};
      x["gb_s"] = e.gbs ? nlohmann::json(*e.gbs) : nlohmann::json();
      x["access_ns"] = e.has_access ? summ(e.access) : nlohmann::json();
      x["total_ns"] = e.total ? summ(*e.total) : nlohmann::json();
      if (e.change)
        x["change"] = {
            {"estimate", e.change->estimate}, {"lo", e.change->lo}, {"hi", e.change->hi}};
      x["p"] = e.p ? nlohmann::json(*e.p) : nlohmann::json();
      x["p_holm"] = e.p_holm ? nlohmann::json(*e.p_holm) : nlohmann::json();
      nlohmann::json counters = nlohmann::json::object();
      for (const auto& [n, v] : e.counters) counters[n] = v;
      x["counters_median"] = counters;
      if (const Fidelity* f = find_fidelity(r.fidelity, e.point.key))
        x["fidelity"] = fidelity_json(*f);
      entries.push_back(x);
    }
    j["groups"].push_back(
        {{"name", g.name}, {"baseline", baseline_of(r, g)}, {"entries", entries}});
  }
  if (!r.folio_fits.fits.empty()) j["folio_fit"] = folio_fits_json(r.folio_fits);
  add_runs_json(r, j);
  j["control"] = r.runs > 1 ? runs_control_json(r.control_runs) : control_report_json(r.control);
  if (!r.fault_anatomy.entries.empty()) j["fault_anatomy"] = fault_anatomy_json(r.fault_anatomy);
  if (!r.residency.entries.empty()) j["residency"] = residency_section_json(r.residency);
  if (!r.host_reported.empty()) j["host_reported"] = host_reported_json(r.host_reported);
  if (!r.alias.groups.empty()) j["alias"] = alias_json(r.alias);
  if (!r.access_sensitivity.empty()) j["access_sensitivity"] = to_json(r.access_sensitivity);
  return j;
}

}  // namespace zs
