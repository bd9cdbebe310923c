#include "report/residency_text.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "report/report.h"

namespace zs {

namespace {
struct Acc {
  std::map<std::uint64_t, std::vector<const ResidencyRow*>> by_rep;
  std::uint64_t pages = 0;
};

double pooled_median(const Acc& a, std::uint64_t from, std::uint64_t to) {
  std::vector<double> v;
  for (const auto& [rep, rows] : a.by_rep)
    for (const ResidencyRow* r : rows)
      if (r->page >= from && r->page <= to) v.push_back(r->ns);
  return residency_median(std::move(v));
}

ResidencyEntry summarize(const std::string& key, const Acc& a) {
  ResidencyEntry e;
  e.key = key;
  e.samples = a.by_rep.size();
  e.pages = a.pages;
  std::array<std::vector<double>, kResidencyLevels> counts;
  std::vector<std::size_t> hot_in(a.pages, 0);
  for (const auto& [rep, rows] : a.by_rep) {
    std::array<double, kResidencyLevels> c{};
    for (const ResidencyRow* r : rows) {
      c[std::size_t(r->level)] += 1;
      if (r->level == ResidencyLevel::l1 || r->level == ResidencyLevel::l2) ++hot_in[r->page];
    }
    for (std::size_t l = 0; l < kResidencyLevels; ++l) counts[l].push_back(c[l]);
  }
  for (std::size_t l = 0; l < kResidencyLevels; ++l) e.level_pages[l] = residency_median(counts[l]);
  for (std::uint32_t p = 0; p < a.pages; ++p) {
    if (2 * hot_in[p] <= e.samples) continue;
    if (!e.hot.empty() && e.hot.back().second + 1 == p)
      e.hot.back().second = p;
    else
      e.hot.push_back({p, p});
  }
  const std::uint64_t n = a.pages, last = n ? n - 1 : 0, mid = n / 2;
  e.first_ns = pooled_median(a, 0, std::min<std::uint64_t>(2, last));
  e.middle_ns = pooled_median(a, mid ? mid - 1 : 0, std::min(mid + 1, last));
  e.last_ns = pooled_median(a, n >= 3 ? n - 3 : 0, last);
  return e;
}
}  // namespace

ResidencySection summarize_residency(const std::vector<ResidencyRow>& rows,
                                     const std::vector<PointInfo>& points) {
  std::map<std::string, Acc> acc;
  for (const ResidencyRow& r : rows) {
    Acc& a = acc[r.key];
    a.by_rep[r.rep].push_back(&r);
    a.pages = std::max<std::uint64_t>(a.pages, std::uint64_t(r.page) + 1);
  }
  ResidencySection s;
  std::set<std::string> done;
  for (const PointInfo& p : points) {
    auto it = acc.find(p.key);
    if (it == acc.end()) continue;
    ResidencyEntry e = summarize(p.key, it->second);
    e.group = p.group();
    e.strategy = p.strategy;
    e.target = p.target;
    s.entries.push_back(std::move(e));
    done.insert(p.key);
  }
  for (const auto& [key, a] : acc)
    if (!done.count(key)) {
      ResidencyEntry e = summarize(key, a);
      e.strategy = key;
      s.entries.push_back(std::move(e));
    }
  return s;
}

ResidencySection build_residency(const ResultsData& d, bool lenient) {
  return build_residency(std::vector<ResultsData>{d}, d.points, lenient);
}

ResidencySection build_residency(const std::vector<ResultsData>& runs,
                                 const std::vector<PointInfo>& points, bool lenient) {
  std::vector<ResidencyRow> rows;
  std::vector<std::string> notes;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string path = runs[i].dir + "/residency.csv";
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) continue;
    ResidencyFile f = read_residency(path, lenient);
    for (ResidencyRow& row : f.rows) {
      row.rep |= std::uint64_t(i) << 32;  // samples of different runs stay apart
      rows.push_back(std::move(row));
    }
    if (f.torn) notes.push_back(path + ": a torn last line, left out");
    if (f.bad) notes.push_back(fmt::format("{}: {} damaged rows left out", path, f.bad));
  }
  if (rows.empty() && notes.empty()) return {};
  ResidencySection s = summarize_residency(rows, points);
  s.notes.insert(s.notes.end(), notes.begin(), notes.end());
  return s;
}

std::string page_ranges_text(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& r) {
  if (r.empty()) return "none";
  std::vector<std::string> parts;
  for (auto [a, b] : r) parts.push_back(a == b ? fmt::format("{}", a) : fmt::format("{}-{}", a, b));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string render_residency_text(const ResidencySection& s) {
  if (s.entries.empty() && s.notes.empty()) return "";
  std::string o =
      "\nResidency right after zeroing (residency.csv): pages in each level (median over\n"
      "samples); load latency in ns, median of the first 3, middle 3 and last 3 pages;\n"
      "hot: the pages in L1 or L2 in most samples.\n";
  std::string group = "\x01";
  for (const ResidencyEntry& e : s.entries) {
    if (e.group != group) {
      group = e.group;
      o += fmt::format("  {}\n  {:<14} {:<7} {:>3} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6} {:>6}\n",
                       group.empty() ? "(points not in meta.json)" : group, "strategy", "target",
                       "n", "L1", "L2", "LLC", "memory", "first", "middle", "last");
    }
    o +=
        fmt::format("  {:<14} {:<7} {:>3} {:>5g} {:>5g} {:>5g} {:>6g} {:>6.1f} {:>6.1f} {:>6.1f}\n",
                    e.strategy, e.target, e.samples, e.level_pages[0], e.level_pages[1],
                    e.level_pages[2], e.level_pages[3], e.first_ns, e.middle_ns, e.last_ns);
    // Runs of 3 pages or more; single pages and pairs only counted (JSON has all).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;
    std::uint64_t scattered = 0;
    for (auto r : e.hot)
      if (r.second - r.first >= 2)
        runs.push_back(r);
      else
        scattered += r.second - r.first + 1;
    o += wrap_lines(fmt::format("    hot (of {} pages): {}{}", e.pages, page_ranges_text(runs),
                                scattered ? fmt::format("; and {} scattered", scattered) : ""),
                    80, "      ");
  }
  for (const std::string& n : s.notes) o += "  note: " + n + "\n";
  return o;
}

nlohmann::json residency_section_json(const ResidencySection& s) {
  nlohmann::json entries = nlohmann::json::array();
  for (const ResidencyEntry& e : s.entries) {
    nlohmann::json levels = nlohmann::json::object();
    for (std::size_t l = 0; l < kResidencyLevels; ++l)
      levels[to_string(ResidencyLevel(l))] = e.level_pages[l];
    nlohmann::json hot = nlohmann::json::array();
    for (auto [a, b] : e.hot) hot.push_back({a, b});
    entries.push_back({{"key", e.key},
                       {"strategy", e.strategy},
                       {"target", e.target},
                       {"samples", e.samples},
                       {"pages", e.pages},
                       {"pages_per_level", levels},
                       {"hot_pages", hot},
                       {"first3_ns", e.first_ns},
                       {"middle3_ns", e.middle_ns},
                       {"last3_ns", e.last_ns}});
  }
  return {{"entries", entries}, {"notes", s.notes}};
}

}  // namespace zs
