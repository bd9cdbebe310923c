#include "report/fault_anatomy_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/report.h"
#include "stats/stats.h"

namespace zs {

namespace {

std::optional<double> median(const std::vector<double>& v) {
  if (v.empty()) return std::nullopt;
  return stats::percentile(v, 0.5);
}

std::string us(const std::optional<double>& ns) {
  return ns ? fmt::format("{:.1f}", *ns / 1e3) : "-";
}

std::string cost_line(const nlohmann::json& c) {
  if (!c.is_object()) return "";
  return fmt::format(
      "tracing cost: a {} fault takes {:.1f} us traced, {:.1f} us not (x{:.3f}, {} faults each, "
      "interleaved){}",
      c.value("backing", "?"), c.value("traced_median_ns", 0.0) / 1e3,
      c.value("untraced_median_ns", 0.0) / 1e3, c.value("ratio", 0.0), c.value("faults_each", 0),
      c.value("ratio", 0.0) > c.value("limit", 1.03) ? ": above the limit, the fault times carry it"
                                                     : "");
}

std::vector<std::string> entry_lines(const FaultAnatomyEntry& e) {
  std::vector<std::string> lines;
  if (e.zero_ns)
    lines.push_back(fmt::format(
        "{} of {} faults traced: fault {}, alloc {}, zero {} ({:.2f} of the fault), map {}",
        e.traced, e.faults, us(e.fault_ns), us(e.alloc_ns), us(e.zero_ns),
        e.fault_ns > 0 ? *e.zero_ns / e.fault_ns : 0.0, us(e.map_ns)));
  else
    lines.push_back(fmt::format("{} faults, none traced: fault {}", e.faults, us(e.fault_ns)));
  for (const auto& [why, n] : e.untraced) lines.push_back(fmt::format("{} untraced: {}", n, why));
  return lines;
}

const char* kTitle =
    "Fault anatomy (medians in us, from kernel tracepoints; zero: the folio's allocation to the "
    "next allocation, zeroing plus charge, an upper bound of the zeroing)";

}  // namespace

FaultAnatomySection build_fault_anatomy(const ResultsData& d) {
  FaultAnatomySection s;
  const nlohmann::json fa = d.meta.value("fault_anatomy", nlohmann::json());
  if (fa.is_object()) {
    s.tracing_cost = fa.value("tracing_cost", nlohmann::json());
    if (!fa.value("available", false)) s.why = fa.value("why", "tracing unavailable");
  } else {
    return s;  // a run from before traced faults: no section, as its reports always were
  }
  for (const PointInfo& p : d.points) {
    if (!p.kernel_fault()) continue;
    const PhaseData* ph = d.phase(p.key, "fault");
    if (ph == nullptr) continue;
    FaultAnatomyEntry e;
    e.key = p.key;
    e.group = p.group();
    e.target = p.target;
    e.faults = ph->ns.size();
    e.traced = ph->fault_zero_ns.size();
    e.fault_ns = stats::percentile(ph->ns, 0.5);
    e.alloc_ns = median(ph->fault_alloc_ns);
    e.zero_ns = median(ph->fault_zero_ns);
    e.map_ns = median(ph->fault_map_ns);
    e.untraced = ph->fault_untraced;
    s.entries.push_back(std::move(e));
  }
  return s;
}

std::string render_fault_anatomy_text(const FaultAnatomySection& s) {
  if (s.entries.empty()) return "";
  std::string o = "\n";
  o += wrap_lines(fmt::format("{}:", kTitle));
  if (!s.why.empty()) o += wrap_lines(fmt::format("not traced: {}", s.why), 80, "    ");
  for (const FaultAnatomyEntry& e : s.entries) {
    o += wrap_lines(fmt::format("  {}, target {}", e.group, e.target), 80, "    ");
    for (const std::string& l : entry_lines(e))
      o += wrap_lines(fmt::format("    {}", l), 80, "      ");
  }
  if (const std::string c = cost_line(s.tracing_cost); !c.empty())
    o += wrap_lines(fmt::format("  {}", c), 80, "    ");
  return o;
}

std::string render_fault_anatomy_markdown(const FaultAnatomySection& s) {
  if (s.entries.empty()) return "";
  std::string o = fmt::format("\n### Fault anatomy\n\n{}.\n\n", kTitle);
  if (!s.why.empty()) o += fmt::format("Not traced: {}.\n\n", s.why);
  o += "| point | target | traced | fault us | alloc us | zero us | zero/fault | map us |\n";
  o += "|---|---|---:|---:|---:|---:|---:|---:|\n";
  for (const FaultAnatomyEntry& e : s.entries)
    o += fmt::format(
        "| {} | {} | {}/{} | {} | {} | {} | {} | {} |\n", e.group, e.target, e.traced, e.faults,
        us(e.fault_ns), us(e.alloc_ns), us(e.zero_ns),
        e.zero_ns && e.fault_ns > 0 ? fmt::format("{:.2f}", *e.zero_ns / e.fault_ns) : "-",
        us(e.map_ns));
  for (const FaultAnatomyEntry& e : s.entries)
    for (const auto& [why, n] : e.untraced)
      o += fmt::format("\n{} ({}): {} untraced: {}.\n", e.group, e.target, n, why);
  if (const std::string c = cost_line(s.tracing_cost); !c.empty()) o += fmt::format("\n{}.\n", c);
  return o;
}

nlohmann::json fault_anatomy_json(const FaultAnatomySection& s) {
  nlohmann::json entries = nlohmann::json::array();
  const auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  for (const FaultAnatomyEntry& e : s.entries)
    entries.push_back({{"key", e.key},
                       {"faults", e.faults},
                       {"traced", e.traced},
                       {"fault_median_ns", e.fault_ns},
                       {"fault_alloc_median_ns", opt(e.alloc_ns)},
                       {"fault_zero_median_ns", opt(e.zero_ns)},
                       {"fault_map_median_ns", opt(e.map_ns)},
                       {"untraced", e.untraced}});
  nlohmann::json j = {{"entries", entries}, {"tracing_cost", s.tracing_cost}};
  if (!s.why.empty()) j["why"] = s.why;
  return j;
}

}  // namespace zs
