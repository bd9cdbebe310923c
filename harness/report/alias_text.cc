#include "report/alias_text.h"

#include "report/report.h"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

namespace zs {

namespace {

bool is_alias(const std::string& strategy) {
  return strategy == "alias-range" || strategy == "alias-page";
}

std::string us(double ns) { return fmt::format("{:.1f}", ns / 1000.0); }
std::string us(const std::optional<double>& ns) { return ns ? us(*ns) : std::string("-"); }

// alias-page against alias-range, with and without the mapping.
std::string ratio_line(const AliasGroup& g) {
  return fmt::format("alias-page / alias-range: {:.2f}x [{:.2f}, {:.2f}] (zero, 95% CI){}",
                     g.page_over_range->estimate, g.page_over_range->lo, g.page_over_range->hi,
                     g.net_page_over_range
                         ? fmt::format("; {:.2f}x without the mapping", *g.net_page_over_range)
                     : g.net_note.empty() ? std::string()
                                          : "; " + g.net_note);
}

}  // namespace

AliasSection build_alias(const ResultsData& d, std::uint64_t seed) {
  AliasSection s;
  const nlohmann::json& set =
      d.meta.value("config", nlohmann::json::object()).value("settings", nlohmann::json::object());
  s.shootdown = set.value("shootdown", false);
  std::map<std::pair<std::string, std::string>, std::size_t> at;  // (group, target) -> index
  for (const PointInfo& p : d.points) {
    if (!is_alias(p.strategy)) continue;
    const PhaseData* z = d.phase(p.key, "zero");
    if (z == nullptr || z->ns.empty()) continue;
    s.hugetlb = s.hugetlb || p.backing == "hugetlb";
    auto [it, fresh] = at.try_emplace({p.group(), p.target}, s.groups.size());
    if (fresh) s.groups.push_back({p.group(), p.target, {}, std::nullopt, std::nullopt, ""});
    AliasEntry e{p.key,        p.strategy,  p.target, z->ns.size(), stats::summarize(z->ns).median,
                 std::nullopt, std::nullopt};
    if (!z->alias_map_ns.empty()) e.map_ns = stats::summarize(z->alias_map_ns).median;
    if (z->alias_map_ns.size() == z->ns.size()) {
      std::vector<double> net(z->ns.size());
      for (std::size_t i = 0; i < net.size(); ++i) net[i] = z->ns[i] - z->alias_map_ns[i];
      e.net_ns = stats::summarize(net).median;
    }
    s.groups[it->second].entries.push_back(std::move(e));
  }
  for (AliasGroup& g : s.groups) {
    auto find = [&](const char* name) -> const AliasEntry* {
      for (const AliasEntry& e : g.entries)
        if (e.strategy == name) return &e;
      return nullptr;
    };
    const AliasEntry *range = find("alias-range"), *page = find("alias-page");
    if (range == nullptr || page == nullptr) continue;
    const PhaseData *a = d.phase(range->key, "zero"), *b = d.phase(page->key, "zero");
    if (a->ns.size() >= 2 && b->ns.size() >= 2)
      g.page_over_range = stats::bootstrap_median_ratio(a->ns, b->ns, seed);
    // A net median at or below zero: the mapping alone took as long as the
    // whole phase (its run-to-run spread is larger than the clearing), and
    // no ratio of the two means anything.
    if (range->net_ns && page->net_ns && *range->net_ns > 0 && *page->net_ns > 0)
      g.net_page_over_range = *page->net_ns / *range->net_ns;
    else if (range->net_ns && page->net_ns)
      g.net_note = "no ratio without the mapping: the mapping alone took as long as the phase";
  }
  return s;
}

std::string render_alias_text(const AliasSection& s) {
  if (s.groups.empty()) return "";
  std::string o =
      "\nAlias-mapped zeroing (through a second mapping, mapped and unmapped in the\n"
      "  zero phase):\n";
  o += fmt::format("  shootdown: {}\n",
                   s.shootdown ? "on (a sibling thread on another CPU: every unmap is an IPI)"
                               : "off (the unmaps flush this CPU only)");
  for (const AliasGroup& g : s.groups) {
    o += fmt::format("  {}, target {}\n", g.group, g.target);
    o += fmt::format("    {:<12} {:>5} {:>12} {:>12} {:>16}\n", "strategy", "n", "zero_us",
                     "mapping_us", "zero-mapping_us");
    for (const AliasEntry& e : g.entries)
      o += fmt::format("    {:<12} {:>5} {:>12} {:>12} {:>16}\n", e.strategy, e.n, us(e.zero_ns),
                       us(e.map_ns), us(e.net_ns));
    if (g.page_over_range) o += wrap_lines("    " + ratio_line(g), 80, "      ");
  }
  o += "  mapping: the same mmap/munmap sequence without the clears, timed apart;\n"
       "  zero-mapping takes out the syscall cost the kernel's own temporary mapping\n"
       "  does not pay.\n";
  if (s.hugetlb)
    o += "  hugetlb: the alias of a hugetlbfs folio can only be mapped with one huge entry;\n"
         "  alias-page maps the whole folio once per page there.\n";
  return o;
}

std::string render_alias_markdown(const AliasSection& s) {
  if (s.groups.empty()) return "";
  std::string o = fmt::format(
      "\n### Alias-mapped zeroing\n\nThrough a second mapping, mapped and unmapped in the zero "
      "phase; shootdown {}. mapping: the same mmap/munmap sequence without the clears, timed "
      "apart; zero-mapping takes out the syscall cost the kernel's own temporary mapping does "
      "not pay.\n",
      s.shootdown ? "on (every unmap is an IPI)" : "off (the unmaps flush this CPU only)");
  for (const AliasGroup& g : s.groups) {
    o += fmt::format("\n{}, target {}\n\n", g.group, g.target);
    o += "| strategy | n | zero us | mapping us | zero-mapping us |\n|---|---:|---:|---:|---:|\n";
    for (const AliasEntry& e : g.entries)
      o += fmt::format("| {} | {} | {} | {} | {} |\n", e.strategy, e.n, us(e.zero_ns), us(e.map_ns),
                       us(e.net_ns));
    if (g.page_over_range) o += fmt::format("\n{}.\n", ratio_line(g));
  }
  if (s.hugetlb)
    o += "\nhugetlb: the alias of a hugetlbfs folio can only be mapped with one huge entry; "
         "alias-page maps the whole folio once per page there.\n";
  return o;
}

nlohmann::json alias_json(const AliasSection& s) {
  const auto opt = [](const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  nlohmann::json j = {{"shootdown", s.shootdown}, {"groups", nlohmann::json::array()}};
  for (const AliasGroup& g : s.groups) {
    nlohmann::json entries = nlohmann::json::array();
    for (const AliasEntry& e : g.entries)
      entries.push_back({{"key", e.key},
                         {"strategy", e.strategy},
                         {"n", e.n},
                         {"zero_median_ns", e.zero_ns},
                         {"mapping_median_ns", opt(e.map_ns)},
                         {"net_median_ns", opt(e.net_ns)}});
    nlohmann::json x = {{"group", g.group},
                        {"target", g.target},
                        {"entries", entries},
                        {"net_page_over_range", opt(g.net_page_over_range)},
                        {"net_note", g.net_note}};
    if (g.page_over_range)
      x["page_over_range"] = {{"estimate", g.page_over_range->estimate},
                              {"lo", g.page_over_range->lo},
                              {"hi", g.page_over_range->hi}};
    j["groups"].push_back(x);
  }
  return j;
}

}  // namespace zs
