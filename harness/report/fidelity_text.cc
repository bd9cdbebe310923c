// The replica-fidelity section of `zeroscope report` (report/fidelity.h):
// text at 80 columns and markdown.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/fidelity.h"
#include "report/report.h"

namespace zs {

namespace {

std::string us(double ns) { return fmt::format("{:.1f}", ns / 1000.0); }

std::string ratio_text(const Fidelity& f) {
  return f.ratio
             ? fmt::format("{:.2f} [{:.2f},{:.2f}]", f.ratio->estimate, f.ratio->lo, f.ratio->hi)
             : "-";
}

std::string cut(const std::string& s, std::size_t w) { return s.size() <= w ? s : s.substr(0, w); }

std::string path_text(const RecordedKernelPath& p) {
  std::string s = fmt::format("kernel path {}", p.strategy.value_or("not covered"));
  if (p.width) s += fmt::format(" width {}", *p.width);
  if (p.batch) s += fmt::format(" batch {}", *p.batch);
  if (!p.function.empty()) s += fmt::format(" ({})", p.function);
  s += fmt::format(", from meta.json {}", p.from);
  if (!p.source.empty()) s += fmt::format(": {}", p.source);
  return s;
}

// Lines said once per table: the kernel path, the primitive chosen, and the
// notes, each with the targets it applies to.
std::vector<std::string> table_notes(const std::vector<const Fidelity*>& rows) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::string>> targets;
  auto add = [&](const std::string& line, const std::string& target) {
    if (line.empty()) return;
    if (!targets.count(line)) order.push_back(line);
    targets[line].push_back(target);
  };
  for (const Fidelity* f : rows) {
    if (f->path) add(path_text(*f->path), "");
    add(f->primitive_choice, "");
    add(f->note, f->fault.target);
  }
  std::vector<std::string> out;
  for (const std::string& line : order) {
    const auto& t = targets[line];
    const bool all = t.size() == rows.size() || t.front().empty();
    out.push_back(all ? line : fmt::format("{}: {}", fmt::join(t, ", "), line));
  }
  return out;
}

std::string warning(const Fidelity& f) {
  // On host-reported memory the fault holds the host's refault, which a
  // replica on memory already present cannot: expected, and said so.
  if (f.fault.memory == "host-reported")
    return fmt::format(
        "{}, target {}: ratio {:.2f}: on host-reported memory the fault includes the host "
        "faulting the memory back in, which the replica {} (zeroing memory already present) "
        "does not; see the host-reported section.",
        f.fault.group(), f.fault.target, f.ratio->estimate, f.replica_name);
  return fmt::format(
      "{}, target {}: ratio {:.2f} leaves {}..{}: the replica {} does not explain this kernel's "
      "fault.",
      f.fault.group(), f.fault.target, f.ratio->estimate, kFidelityLow, kFidelityHigh,
      f.replica_name);
}

// Tables in the order of their first kernel-fault point.
std::vector<std::pair<std::string, std::vector<const Fidelity*>>> by_group(
    const std::vector<Fidelity>& f) {
  std::vector<std::pair<std::string, std::vector<const Fidelity*>>> out;
  for (const Fidelity& x : f) {
    const std::string g = x.fault.group();
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == g; });
    if (it == out.end()) {
      out.push_back({g, {}});
      it = out.end() - 1;
    }
    it->second.push_back(&x);
  }
  return out;
}

// The replicate runs the numbers are over; 1 for one run.
std::size_t runs_of(const std::vector<Fidelity>& f) {
  std::size_t n = 1;
  for (const Fidelity& x : f) n = std::max(n, x.runs);
  return n;
}

bool none_recorded(const std::vector<Fidelity>& f) {
  return std::all_of(f.begin(), f.end(), [](const Fidelity& x) { return x.no_kernel_path; });
}

}  // namespace

std::string render_fidelity_text(const std::vector<Fidelity>& f) {
  if (f.empty()) return "";
  if (none_recorded(f))
    return fmt::format("\n{}", wrap_lines(fmt::format("replica fidelity: {}", f.front().note)));
  std::string o = "\n";
  if (const std::size_t runs = runs_of(f); runs > 1)
    o += wrap_lines(fmt::format(
        "replica fidelity over {} runs: each kernel-fault against the replica of this kernel's "
        "path in the same runs; ratio = fault / replica medians of run medians, 95% interval "
        "over runs, then samples; rest = fault - replica, medians of run medians.",
        runs));
  else
    o += wrap_lines(
        "replica fidelity: each kernel-fault against the replica of this kernel's path in the "
        "same run; ratio = fault / replica medians, 95% BCa CI; rest = fault - replica.");
  std::vector<std::string> warnings;
  for (const auto& [group, rows] : by_group(f)) {
    o += wrap_lines(group);
    o += fmt::format("{:<6} {:>8}  {:<18} {:>8}  {:<18} {:>7}\n", "target", "fault us", "replica",
                     "rep us", "ratio [95% CI]", "rest us");
    for (const Fidelity* x : rows) {
      std::string line =
          fmt::format("{:<6} {:>8}  {:<18} {:>8}  {:<18} {:>7}", cut(x->fault.target, 6),
                      us(x->fault_median), cut(x->measured() ? x->replica_name : "-", 18),
                      x->measured() ? us(x->replica_median) : "-", ratio_text(*x),
                      x->remainder_ns ? us(*x->remainder_ns) : "-");
      line.erase(line.find_last_not_of(' ') + 1);
      o += line + "\n";
      if (x->ratio && !x->explains()) warnings.push_back(warning(*x));
    }
    for (const std::string& line : table_notes(rows))
      o += wrap_lines(fmt::format("  {}", line), 80, "    ");
  }
  for (const std::string& w : warnings) o += wrap_lines(w);
  return o;
}

std::string render_fidelity_markdown(const std::vector<Fidelity>& f) {
  if (f.empty()) return "";
  if (none_recorded(f)) return fmt::format("\n**Replica fidelity**: {}.\n", f.front().note);
  const std::size_t runs = runs_of(f);
  std::string o =
      runs > 1
          ? fmt::format(
                "\n### Replica fidelity\n\nEach kernel-fault against the replica of this "
                "kernel's path in the same {} runs: ratio = fault / replica medians of run "
                "medians with 95% interval over runs, then samples; remainder = fault - replica, "
                "medians of run medians.\n\n",
                runs)
          : "\n### Replica fidelity\n\nEach kernel-fault against the replica of this kernel's "
            "path in the same run: ratio = fault / replica medians with 95% BCa CI; remainder = "
            "fault - replica.\n\n";
  o += "| point | fault median (us) | replica | replica median (us) | ratio [95% CI] | "
       "remainder (us) |\n|---|---|---|---|---|---|\n";
  std::vector<std::string> lines;
  for (const auto& [group, rows] : by_group(f)) {
    for (const Fidelity* x : rows) {
      o += fmt::format("| {}, {} | {} | {} | {} | {} | {} |\n", group, x->fault.target,
                       us(x->fault_median), x->measured() ? x->replica_name : "-",
                       x->measured() ? us(x->replica_median) : "-", ratio_text(*x),
                       x->remainder_ns ? us(*x->remainder_ns) : "-");
      if (x->ratio && !x->explains()) lines.push_back(fmt::format("**{}**", warning(*x)));
    }
    for (const std::string& line : table_notes(rows))
      lines.push_back(fmt::format("{}: {}", group, line));
  }
  o += "\n";
  for (const std::string& line : lines) o += fmt::format("- {}\n", line);
  return o;
}

}  // namespace zs
