// The text (80 columns) and markdown of `report --by host`
// (report/fleet_report.h).
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/compare_labels.h"
#include "report/fleet_report.h"
#include "report/report.h"

namespace zs {

namespace {

constexpr std::size_t kLabel = 26;  // strategy 12, primitive 6, target 6, two spaces
constexpr std::size_t kCell = 17;   // "1.10 [0.95,1.30]" and a mark

std::string cell_text(const FleetCell& c, const FleetBaseline& b, const PointInfo& p) {
  if (!c.measured) return "-";
  if (c.is_baseline) return fmt::format("base {:.1f}us", c.median_ns / 1000.0);
  if (!c.ratio) return "no ratio";
  // The kernel's fault over the replica of its own path, outside the range
  // the replica explains.
  const bool off = p.kernel_fault() && b.replica &&
                   (c.ratio->estimate < kFidelityLow || c.ratio->estimate > kFidelityHigh);
  return format_ratio(*c.ratio) + (off ? "!" : "");
}

std::string fidelity_cell(const std::optional<Fidelity>& f) {
  if (!f) return "-";
  if (!f->ratio) return "no ratio";
  return format_ratio(*f->ratio) + (f->explains() ? "" : "!");
}

std::string row_label(const PointInfo& p) {
  return label_cells({p.strategy, p.kernel_fault() ? "-" : p.primitive, p.target}, {12, 6, 6});
}

// Hosts in blocks that fit 80 columns beside the row labels.
std::vector<std::vector<std::size_t>> blocks(const FleetReport& r) {
  std::vector<std::vector<std::size_t>> out;
  std::size_t used = kLabel;
  for (std::size_t i = 0; i < r.hosts.size(); ++i) {
    const std::size_t w = 1 + std::max({kCell, r.hosts[i].name.size(), r.hosts[i].vendor.size()});
    if (out.empty() || used + w > 80) {
      out.emplace_back();
      used = kLabel;
    }
    out.back().push_back(i);
    used += w;
  }
  return out;
}

std::size_t width(const FleetReport& r, std::size_t i) {
  return std::max({kCell, r.hosts[i].name.size(), r.hosts[i].vendor.size()});
}

std::string line(std::string s) {
  s.erase(s.find_last_not_of(' ') + 1);
  return s + "\n";
}

// The head of a table block: vendors over host names.
std::string block_head(const FleetReport& r, const std::vector<std::size_t>& b,
                       const std::string& first) {
  std::string vendors(kLabel, ' '), names = fmt::format("{:<{}}", first, kLabel);
  for (std::size_t i : b) {
    const bool same = i > 0 && i != b.front() && r.hosts[i - 1].vendor == r.hosts[i].vendor;
    vendors += fmt::format(" {:<{}}", same ? "" : r.hosts[i].vendor, width(r, i));
    names += fmt::format(" {:<{}}", r.hosts[i].name, width(r, i));
  }
  return line(vendors) + line(names);
}

std::string cells_line(const FleetReport& r, const std::vector<std::size_t>& b,
                       const std::string& label, const std::vector<std::string>& cells) {
  std::string s = fmt::format("{:<{}}", label, kLabel);
  for (std::size_t i : b) s += fmt::format(" {:<{}}", cells[i], width(r, i));
  return line(s);
}

std::string header_text(const FleetReport& r) {
  const FleetDir& f = r.fleet;
  std::string o = fmt::format("zeroscope report --by host: {}\n", f.dir);
  o += wrap_lines(fmt::format(
      "fleet {}: config {}; run options: {}; started {}, ended {}; commit {}; zeroscope {}{}",
      f.name.empty() ? "(unnamed)" : f.name, f.config.empty() ? "unknown" : f.config,
      f.run_options.empty() ? "none" : fmt::format("{}", fmt::join(f.run_options, " ")),
      f.started.empty() ? "unknown" : f.started, f.ended.empty() ? "not yet" : f.ended,
      f.commit.empty() ? "none (not a git checkout)" : f.commit.substr(0, 12),
      f.zeroscope_version.empty() ? "unknown" : f.zeroscope_version,
      f.resumes ? fmt::format("; {} resume passes", f.resumes) : ""));
  if (!r.command.empty()) o += wrap_lines("command: " + r.command);
  o += wrap_lines(fmt::format(
      "hosts: {} of {} completed, by vendor (each host's capability record; its inventory "
      "groups in brackets):",
      r.hosts.size(), r.hosts.size() + r.not_completed.size()));
  for (const std::string& v : r.vendors) {
    std::vector<std::string> hs;
    for (const FleetHostInfo& h : r.hosts)
      if (h.vendor == v)
        hs.push_back(
            fmt::format("{}{}{}", h.name,
                        h.groups.empty() ? "" : fmt::format(" [{}]", fmt::join(h.groups, ", ")),
                        h.runs > 1 ? fmt::format(" ({} runs)", h.runs) : ""));
    o += wrap_lines(fmt::format("  {}: {}", v, fmt::join(hs, ", ")), 80, "    ");
  }
  if (!r.not_completed.empty()) {
    o += "not completed (no numbers from these hosts):\n";
    for (const FleetHost& h : r.not_completed)
      o += wrap_lines(fmt::format("  {}: {}: {}", h.name, h.status,
                                  h.reason.empty() ? "no reason recorded" : h.reason),
                      80, "    ");
  }
  for (const FleetHostInfo& h : r.hosts)
    for (const std::string& note : h.notes) o += wrap_lines(fmt::format("{}: {}", h.name, note));
  return o;
}

}  // namespace

std::string render_fleet_text(const FleetReport& r) {
  std::string o = header_text(r);
  o += wrap_lines(
      std::string("cell = the point's median over the median of that host's own baseline at the "
                  "same target, both from the host's run, with a 95% interval ") +
          (r.any_runs ? "(BCa within one run; over runs, then samples, for a host with runs)"
                      : "(BCa, within one run: run-to-run variance is not in it)") +
          "; base = the baseline itself, its median; - = not measured on that host; * = the "
          "replica of the host's kernel path; ! = kernel-fault over that replica outside 0.8..1.5.",
      80, "");
  for (const FleetGroup& g : r.groups)
    for (const auto& b : blocks(r)) {
      o += "\n";
      o += wrap_lines(g.name);
      o += block_head(r, b, "strategy     prim   target");
      std::vector<std::string> base;
      for (const FleetBaseline& x : g.baselines)
        base.push_back(x.strategy.empty() ? "none" : x.strategy + (x.replica ? "*" : ""));
      o += cells_line(r, b, "baseline", base);
      for (const FleetRow& row : g.rows) {
        std::vector<std::string> cells;
        for (std::size_t i = 0; i < row.cells.size(); ++i)
          cells.push_back(cell_text(row.cells[i], g.baselines[i], row.point));
        const std::string label = row_label(row.point);
        const std::size_t nl = label.rfind('\n');
        if (nl != std::string::npos) o += label.substr(0, nl + 1);
        o += cells_line(r, b, nl == std::string::npos ? label : label.substr(nl + 1), cells);
      }
      for (std::size_t i : b) {
        if (!g.baselines[i].why.empty())
          o += wrap_lines(
              fmt::format("  {}: baseline {}: {}", r.hosts[i].name,
                          g.baselines[i].strategy.empty() ? "none" : g.baselines[i].strategy,
                          g.baselines[i].why),
              80, "    ");
        for (const FleetRow& row : g.rows)
          if (!row.cells[i].why.empty())
            o += wrap_lines(fmt::format("  {}: {}/{}: no ratio: {}", r.hosts[i].name,
                                        row.point.strategy, row.point.target, row.cells[i].why),
                            80, "    ");
      }
    }
  bool any_fault = false;
  for (const FleetGroup& g : r.groups) any_fault = any_fault || !g.fidelity_points.empty();
  if (any_fault) {
    o += "\n";
    o += wrap_lines(
        "replica fidelity: each host's kernel-fault over the replica of its own "
        "kernel's path in the same run (ratio of medians, 95% interval); ! = outside "
        "0.8..1.5, the replica does not explain that host's fault.",
        80, "  ");
    for (const FleetGroup& g : r.groups) {
      if (g.fidelity_points.empty()) continue;
      for (const auto& b : blocks(r)) {
        o += "\n";
        o += wrap_lines(g.name);
        o += block_head(r, b, "strategy     prim   target");
        for (std::size_t k = 0; k < g.fidelity_points.size(); ++k) {
          std::vector<std::string> cells;
          for (const auto& f : g.fidelity[k]) cells.push_back(fidelity_cell(f));
          o += cells_line(r, b, row_label(g.fidelity_points[k]), cells);
        }
        for (std::size_t i : b) {
          std::vector<std::string> said;
          for (const auto& per_point : g.fidelity) {
            const auto& f = per_point[i];
            if (!f) continue;
            const std::string s = f->measured() ? "replica " + f->replica_name : f->note;
            if (std::find(said.begin(), said.end(), s) == said.end()) said.push_back(s);
          }
          for (const std::string& s : said)
            o += wrap_lines(fmt::format("  {}: {}", r.hosts[i].name, s), 80, "    ");
        }
      }
    }
  }
  std::vector<std::string> names;
  for (const FleetHostInfo& h : r.hosts) names.push_back(h.name);
  o += "\n";
  o += render_fleet_capability_text(r.capability, names);
  return o;
}

std::string render_fleet_markdown(const FleetReport& r) {
  const FleetDir& f = r.fleet;
  std::string o = fmt::format("**zeroscope report --by host** `{}`  \n", f.dir);
  o += fmt::format(
      "fleet {}: config `{}`; run options: {}; started {}, ended {}; commit {}  \n", f.name,
      f.config, f.run_options.empty() ? "none" : fmt::format("`{}`", fmt::join(f.run_options, " ")),
      f.started.empty() ? "unknown" : f.started, f.ended.empty() ? "not yet" : f.ended,
      f.commit.empty() ? "none" : f.commit.substr(0, 12));
  if (!r.command.empty()) o += fmt::format("command: `{}`  \n", r.command);
  o += fmt::format(
      "hosts: {} of {} completed, by vendor (capability record; inventory groups in "
      "brackets):  \n",
      r.hosts.size(), r.hosts.size() + r.not_completed.size());
  for (const std::string& v : r.vendors) {
    std::vector<std::string> hs;
    for (const FleetHostInfo& h : r.hosts)
      if (h.vendor == v)
        hs.push_back(
            fmt::format("`{}`{}", h.name,
                        h.groups.empty() ? "" : fmt::format(" [{}]", fmt::join(h.groups, ", "))));
    o += fmt::format("- {}: {}\n", v, fmt::join(hs, ", "));
  }
  for (const FleetHost& h : r.not_completed)
    o += fmt::format("- **not completed** `{}`: {}: {}\n", h.name, h.status,
                     h.reason.empty() ? "no reason recorded" : markdown_cell(h.reason));
  for (const FleetHostInfo& h : r.hosts)
    for (const std::string& note : h.notes) o += fmt::format("\n**{}: {}**\n", h.name, note);
  o += "\nCell: the point's median over the median of that host's own baseline at the same "
       "target, same run, 95% interval; base: the baseline's median; -: not measured there; "
       "\\*: the replica of the host's kernel path; !: kernel-fault over that replica outside "
       "0.8..1.5.\n";
  std::string head = "| strategy | primitive | target |", rule = "|---|---|---|";
  for (const FleetHostInfo& h : r.hosts) {
    head += fmt::format(" {} ({}) |", h.name, h.vendor);
    rule += "---|";
  }
  for (const FleetGroup& g : r.groups) {
    o += fmt::format("\n### {}\n\n{}\n{}\n| baseline | | |", g.name, head, rule);
    for (const FleetBaseline& b : g.baselines)
      o +=
          fmt::format(" {} |", b.strategy.empty() ? "none" : b.strategy + (b.replica ? "\\*" : ""));
    o += "\n";
    for (const FleetRow& row : g.rows) {
      o += fmt::format("| {} | {} | {} |", row.point.strategy,
                       row.point.kernel_fault() ? "-" : row.point.primitive, row.point.target);
      for (std::size_t i = 0; i < row.cells.size(); ++i)
        o += fmt::format(" {} |", cell_text(row.cells[i], g.baselines[i], row.point));
      o += "\n";
    }
    for (std::size_t i = 0; i < r.hosts.size(); ++i)
      if (!g.baselines[i].why.empty())
        o += fmt::format("\n{}: baseline {}: {}.\n", r.hosts[i].name,
                         g.baselines[i].strategy.empty() ? "none" : g.baselines[i].strategy,
                         g.baselines[i].why);
    if (g.fidelity_points.empty()) continue;
    o += fmt::format(
        "\nReplica fidelity (kernel-fault over the replica of each host's kernel path):\n\n"
        "{}\n{}\n",
        head, rule);
    for (std::size_t k = 0; k < g.fidelity_points.size(); ++k) {
      o += fmt::format("| kernel-fault | - | {} |", g.fidelity_points[k].target);
      for (const auto& x : g.fidelity[k]) {
        std::string c = fidelity_cell(x);
        if (x && x->measured()) c += " (" + x->replica_name + ")";
        if (x && !x->note.empty() && !x->measured()) c += " (" + markdown_cell(x->note) + ")";
        o += fmt::format(" {} |", c);
      }
      o += "\n";
    }
  }
  std::vector<std::string> names;
  for (const FleetHostInfo& h : r.hosts) names.push_back(h.name);
  o += render_fleet_capability_markdown(r.capability, names);
  return o;
}

}  // namespace zs
