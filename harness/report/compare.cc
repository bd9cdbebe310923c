#include "report/compare.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "common/errors.h"
#include "report/compare_labels.h"
#include "report/compare_match.h"
#include "report/compare_verdict.h"
#include "report/emulation_warning.h"
#include "report/report.h"

namespace zs {

namespace {
std::string identity(const ResultsData& d, const std::string& what) {
  if (what == "label") return d.label().empty() ? d.dir : d.label();
  if (what == "host") return d.host();
  return d.kernel();
}
// A side's samples of one point: one vector per run.
std::vector<std::vector<double>> runs_of(const std::vector<ResultsData>& side, const PointInfo& p) {
  std::vector<std::vector<double>> runs;
  for (const ResultsData& d : side)
    if (const PhaseData* ph = d.phase(p.key, ResultsData::cost_phase(p))) runs.push_back(ph->ns);
  return runs;
}

CompareEntry compare_point(const std::vector<ResultsData>& side_a,
                           const std::vector<ResultsData>& side_b, const PointInfo& p,
                           const PointInfo& q, std::size_t against, bool run_level,
                           const CompareOptions& opt) {
  CompareEntry e;
  e.point = p;
  e.other = q;
  e.against = against;
  if (run_level) {
    auto ra = runs_of(side_a, p);
    auto rb = runs_of(side_b, q);
    std::vector<double> all_a, all_b;
    for (const auto& r : ra) all_a.insert(all_a.end(), r.begin(), r.end());
    for (const auto& r : rb) all_b.insert(all_b.end(), r.begin(), r.end());
    e.a = stats::summarize(all_a);
    e.b = stats::summarize(all_b);
    stats::RunsRatio rr = stats::bootstrap_runs_ratio(ra, rb, opt.seed);
    e.change = {rr.ratio.estimate - 1, rr.ratio.lo - 1, rr.ratio.hi - 1};
    e.p = rr.p;
  } else {
    const auto& a = side_a.front().phase(p.key, ResultsData::cost_phase(p))->ns;
    const auto& b = side_b.front().phase(q.key, ResultsData::cost_phase(q))->ns;
    e.a = stats::summarize(a);
    e.b = stats::summarize(b);
    stats::Interval r = stats::bootstrap_median_ratio(a, b, opt.seed);
    e.change = {r.estimate - 1, r.lo - 1, r.hi - 1};
    e.p = stats::mann_whitney(a, b).p;
  }
  return e;
}
}  // namespace

Comparison build_comparison(const std::vector<std::vector<ResultsData>>& sides,
                            const CompareOptions& opt) {
  if (opt.by != "label" && opt.by != "host" && opt.by != "kernel")
    throw SetupError(Option::by, fmt::format("unknown '{}'; allowed: label, host, kernel", opt.by));
  check_ignored_axes(opt.ignore);
  // What must be equal for the comparison to mean what --by says: runs by
  // label on one host and kernel; kernels on one host; hosts anything.
  std::vector<std::string> must_match;
  if (opt.by == "label") must_match = {"host", "kernel"};
  if (opt.by == "kernel") must_match = {"host"};
  if (sides.size() < 2) throw SetupError("compare: at least two sides (DIR_A DIR_B) are needed");
  const ResultsData& a = sides.front().front();
  for (const auto& side : sides)
    for (const ResultsData& d : side) {
      for (const std::string& f : must_match)
        if (identity(a, f) != identity(d, f))
          throw SetupError(
              fmt::format("{} and {} differ in {} ({} vs {}), not only in {}; compare with {} {}",
                          a.dir, d.dir, f, identity(a, f), identity(d, f), opt.by,
                          option_ref(Option::by), f == "kernel" ? "kernel" : "host"));
      // Replicates of one side must be what the side says they are.
      if (identity(d, opt.by) != identity(side.front(), opt.by))
        throw SetupError(fmt::format(
            "{} and {} are on one side but differ in {} ({} vs {}); a side lists replicate "
            "runs of the same {}",
            side.front().dir, d.dir, opt.by, identity(side.front(), opt.by), identity(d, opt.by),
            opt.by));
    }
  Comparison c;
  c.by = opt.by;
  c.command = opt.command;
  c.run_level =
      std::all_of(sides.begin(), sides.end(), [](const auto& s) { return s.size() >= 2; });
  for (const auto& side : sides) {
    std::string joined;
    for (const ResultsData& d : side) {
      joined += (joined.empty() ? "" : ",") + d.dir;
      if (std::string w = emulation_warning(d.meta.value("capability", nlohmann::json()));
          !w.empty())
        c.notes.push_back(d.dir + ": WARNING: " + w);
      for (const std::string& note : d.notes) c.notes.push_back(d.dir + ": " + note);
    }
    c.dirs.push_back(joined);
    c.names.push_back(identity(side.front(), opt.by));
    c.cpus.push_back(side.front().cpu());
    c.kernels.push_back(side.front().kernel());
    c.runs.push_back(side.size());
  }
  std::vector<double> ps;
  const PointMatcher a_match(a, opt.ignore);
  std::size_t matched = 0;
  for (std::size_t i = 1; i < sides.size(); ++i) {
    const ResultsData& b = sides[i].front();
    const std::size_t matched_before = matched;
    const PointMatcher b_match(b, opt.ignore);
    for (const PointInfo& p : a.points) {
      const PhaseData* pa = a.phase(p.key, ResultsData::cost_phase(p));
      bool compared = false;
      for (const PointInfo* q : b_match.matches(p)) {
        const PhaseData* pb = b.phase(q->key, ResultsData::cost_phase(*q));
        if (pa == nullptr || pb == nullptr) continue;
        compared = true;
        ++matched;
        if (pa->ns.size() < 2 || pb->ns.size() < 2) continue;
        c.entries.push_back(compare_point(sides.front(), sides[i], p, *q, i, c.run_level, opt));
        ps.push_back(c.entries.back().p);
      }
      if (!compared && pa != nullptr) c.one_side.push_back({p.key, "only in " + a.dir});
    }
    for (const PointInfo& p : b.points) {
      bool in_a = false;
      for (const PointInfo* q : a_match.matches(p))
        in_a = in_a || a.phase(q->key, ResultsData::cost_phase(*q)) != nullptr;
      if (!in_a && b.phase(p.key, ResultsData::cost_phase(p)))
        c.one_side.push_back({p.key, "only in " + b.dir});
    }
    if (matched == matched_before) throw SetupError(no_match_reason(a, b, opt.ignore));
  }
  if (c.entries.empty())
    throw SetupError(fmt::format(
        "{} points matched, but none has 2 or more kept samples on both sides: nothing to "
        "compare; rerun with more repetitions",
        matched));
  auto adj = stats::holm(ps);
  for (std::size_t k = 0; k < c.entries.size(); ++k) {
    CompareEntry& e = c.entries[k];
    e.p_holm = adj[k];
    // Significant only when the rank test says so after Holm AND the
    // interval of the ratio excludes 1: both, so one noisy statistic alone
    // does not call a change.
    const bool sig = e.p_holm < opt.alpha && (e.change.lo > 0 || e.change.hi < 0);
    e.verdict = !sig ? "n.s." : e.change.estimate < 0 ? "faster" : "slower";
  }
  c.comparisons = ps.size();
  withhold_verdicts(c);
  c.control = compare_controls(sides);
  return c;
}

std::string render_comparison_text(const Comparison& c) {
  std::string o = "zeroscope compare\n";
  for (std::size_t i = 0; i < c.dirs.size(); ++i)
    o += wrap_lines(fmt::format("{}: {} ({}{} {}; CPU {}; kernel {})", char('A' + i), c.dirs[i],
                                c.runs[i] > 1 ? fmt::format("{} runs; ", c.runs[i]) : "", c.by,
                                c.names[i], c.cpus[i], c.kernels[i]),
                    80, "   ");
  if (!c.command.empty()) o += wrap_lines("command: " + c.command);
  for (const std::string& note : c.notes) o += wrap_lines(note);
  if (c.run_level) {
    o += wrap_lines(
        fmt::format(
            "change = B/A ratio of the medians of run medians - 1, 95% interval and p from a "
            "bootstrap over runs, then samples; p Holm-adjusted over {} comparisons; n.s. = no "
            "significant change.",
            c.comparisons),
        80, "");
  } else {
    o += fmt::format(
        "change = B/A cost median ratio - 1, 95% BCa CI; p: Mann-Whitney,\n"
        "Holm-adjusted over {} comparisons; n.s. = no significant change.\n",
        c.comparisons);
    o += "The intervals and p are within one run: run-to-run variance is not in them.\n";
  }
  if (!c.verdict_why.empty()) o += wrap_lines(c.verdict_why, 80, "");
  std::string group;
  std::size_t against = 0;
  for (const CompareEntry& e : c.entries) {
    if (e.point.group() != group || e.against != against) {
      group = e.point.group();
      against = e.against;
      o += "\n" + wrap_lines(fmt::format("{} ({} vs A)", group, char('A' + e.against)));
      o += fmt::format("{:<12} {:<6} {:<6} {:>8} {:>8} {:<19} {:>6} {}\n", "strategy", "prim",
                       "target", "A us", fmt::format("{} us", char('A' + e.against)), "change", "p",
                       "verdict");
    }
    const std::string strategy = e.point.strategy == e.other.strategy
                                     ? e.point.strategy
                                     : e.point.strategy + ">" + e.other.strategy;
    o += label_cells({strategy, e.point.kernel_fault() ? "-" : e.point.primitive, e.point.target},
                     {12, 6, 6});
    o += fmt::format(" {:>8.1f} {:>8.1f} {:<19} {:>6} {}\n", e.a.median / 1000.0,
                     e.b.median / 1000.0, format_change(e.change), format_p(e.p_holm), e.verdict);
  }
  std::map<std::string, int> verdicts;
  for (const CompareEntry& e : c.entries) ++verdicts[e.verdict];
  if (c.verdict_why.empty())
    o += fmt::format("\n{} faster, {} slower, {} no significant change.\n", verdicts["faster"],
                     verdicts["slower"], verdicts["n.s."]);
  else
    o += "\n" + wrap_lines(fmt::format("No verdict on {} points: {}.", c.entries.size(),
                                       c.verdict_why.substr(0, c.verdict_why.find(':'))),
                           80, "");
  if (c.one_side.empty()) {
    o += "Every point is on every side.\n";
  } else {
    o += "On one side only (not compared):\n";
    for (const auto& [key, where] : c.one_side)
      o += wrap_lines(fmt::format("  {} ({})", key, where), 80, "    ");
  }
  o += "\n" + control_shift_text(c.control);
  return o;
}

std::string render_comparison_markdown(const Comparison& c) {
  std::string o = "**zeroscope compare**  \n";
  for (std::size_t i = 0; i < c.dirs.size(); ++i)
    o += fmt::format("{}: `{}` ({} {}; CPU {}; kernel {})  \n", char('A' + i), c.dirs[i], c.by,
                     c.names[i], c.cpus[i], c.kernels[i]);
  for (const std::string& note : c.notes) o += fmt::format("**{}**  \n", note);
  if (!c.verdict_why.empty()) o += fmt::format("{}  \n", c.verdict_why);
  o += "\n| point | vs | A median (us) | B median (us) | change | p (Holm) | verdict "
       "|\n|---|---|---|---|---|---|---|\n";
  for (const CompareEntry& e : c.entries)
    o += fmt::format("| {} | {} | {:.1f} | {:.1f} | {} | {} | {} |\n", e.point.key,
                     char('A' + e.against), e.a.median / 1000.0, e.b.median / 1000.0,
                     format_change(e.change), format_p(e.p_holm), e.verdict);
  for (const auto& [key, where] : c.one_side)
    o += fmt::format("\nOn one side only: `{}` ({}).\n", key, where);
  return o;
}

std::string render_comparison_csv(const Comparison& c) {
  std::string o =
      "key,against,a_n,a_median_ns,b_n,b_median_ns,change,change_lo,change_hi,p,p_holm,verdict\n";
  for (const CompareEntry& e : c.entries)
    o += fmt::format("{},{},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6g},{:.6g},{}\n", e.point.key,
                     c.dirs[e.against], e.a.n, e.a.median, e.b.n, e.b.median, e.change.estimate,
                     e.change.lo, e.change.hi, e.p, e.p_holm, e.verdict);
  for (const auto& [key, where] : c.one_side)
    o += fmt::format("{},{},,,,,,,,,,one side only\n", key, where);
  return o;
}

nlohmann::json render_comparison_json(const Comparison& c) {
  nlohmann::json j = {{"dirs", c.dirs},
                      {"by", c.by},
                      {"names", c.names},
                      {"cpus", c.cpus},
                      {"kernels", c.kernels},
                      {"command", c.command},
                      {"comparisons", c.comparisons},
                      {"runs", c.runs}};
  if (!c.verdict_why.empty()) j["verdict_why"] = c.verdict_why;
  if (!c.notes.empty()) j["notes"] = c.notes;
  j["entries"] = nlohmann::json::array();
  for (const CompareEntry& e : c.entries)
    j["entries"].push_back(
        {{"key", e.point.key},
         {"against", c.dirs[e.against]},
         {"a_median_ns", e.a.median},
         {"b_median_ns", e.b.median},
         {"a_n", e.a.n},
         {"b_n", e.b.n},
         {"change", {{"estimate", e.change.estimate}, {"lo", e.change.lo}, {"hi", e.change.hi}}},
         {"p", e.p},
         {"p_holm", e.p_holm},
         {"verdict", verdict_json(e)}});
  if (!c.verdict_why.empty())
    for (auto& e : j["entries"]) e["verdict_why"] = c.verdict_why;
  j["one_side"] = nlohmann::json::array();
  for (const auto& [key, where] : c.one_side)
    j["one_side"].push_back({{"key", key}, {"where", where}});
  j["control"] = control_shift_json(c.control);
  return j;
}

}  // namespace zs
