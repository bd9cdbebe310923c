#include "report/folio_fit.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/units.h"
#include "report/report.h"

namespace zs {
namespace {

// backing/bytes/strategy/primitive/target/access:op/cache[:evict]/bN/wN
// without its bytes: every axis but the folio size.
std::string series_of(const std::string& key) {
  const auto first = key.find('/');
  const auto second = first == std::string::npos ? first : key.find('/', first + 1);
  if (second == std::string::npos) return key;
  return key.substr(0, first) + key.substr(second);
}

std::string cut(const std::string& s, std::size_t w) { return s.size() <= w ? s : s.substr(0, w); }

std::string r2_text(const stats::LinearFit& f) {
  return std::isnan(f.r2) ? "-" : fmt::format("{:.3f}", f.r2);
}

std::vector<std::string> size_names(const std::vector<std::uint64_t>& sizes) {
  std::vector<std::string> out;
  for (auto s : sizes) out.push_back(exact_size(s));
  return out;
}

}  // namespace

std::uint64_t base_page_of(const nlohmann::json& meta) {
  const nlohmann::json::json_pointer at("/capability/thp/pmd_bytes");
  if (meta.contains(at) && meta.at(at).is_number_unsigned()) {
    const auto pmd = meta.at(at).get<std::uint64_t>();
    const auto page = static_cast<std::uint64_t>(std::llround(std::sqrt(8.0 * double(pmd))));
    if (page != 0 && page * page == 8 * pmd) return page;
  }
  return 4096;
}

FolioFits fit_folio_sizes(const Report& r, std::uint64_t page_bytes) {
  FolioFits out;
  out.page_bytes = page_bytes;
  std::vector<FolioFit> all;
  std::map<std::string, std::size_t> index;  // series -> position in all
  for (const ReportGroup& g : r.groups)
    for (const ReportEntry& e : g.entries) {
      if (std::isnan(e.cost.median)) continue;
      const std::string series = series_of(e.point.key);
      auto [it, fresh] = index.try_emplace(series, all.size());
      if (fresh) {
        FolioFit f;
        f.series = series;
        f.family = fmt::format("{}, access {}/{}, cache {}", e.point.backing, e.point.access,
                               e.point.op, e.point.cache);
        f.strategy = e.point.strategy;
        f.primitive = e.primitive;
        f.target = e.point.target;
        f.kernel_fault = e.point.kernel_fault();
        all.push_back(f);
      }
      FolioFit& f = all[it->second];
      f.sizes.push_back(e.point.folio_size);
      f.medians_ns.push_back(e.cost.median);
    }
  for (FolioFit& f : all) {
    // Sizes ascending, medians with them.
    std::vector<std::size_t> order(f.sizes.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return f.sizes[a] < f.sizes[b]; });
    std::vector<std::uint64_t> sizes;
    std::vector<double> medians, pages;
    for (auto i : order) {
      sizes.push_back(f.sizes[i]);
      medians.push_back(f.medians_ns[i]);
      pages.push_back(double(f.sizes[i]) / double(page_bytes));
    }
    f.sizes = sizes;
    f.medians_ns = medians;
    auto fit = stats::fit_linear(pages, medians);  // nullopt with one size
    if (!fit) continue;
    f.fit = *fit;
    out.fits.push_back(f);
  }
  return out;
}

std::string render_folio_fits_text(const FolioFits& ff) {
  if (ff.fits.empty()) return "";
  std::string o(1, '\n');
  o +=
      wrap_lines(fmt::format("cost against folio size: cost = fixed + per-page x pages ({} "
                             "pages), least squares on the cost medians at each size; R2 of "
                             "that fit.",
                             exact_size(ff.page_bytes)));
  bool two_sizes = false;
  std::string family;
  for (const FolioFit& f : ff.fits) {
    if (f.family != family) {
      family = f.family;
      o += wrap_lines(fmt::format("{} ({})", family, fmt::join(size_names(f.sizes), ", ")));
      o += fmt::format("{:<12} {:<6} {:<6} {:>5} {:>9} {:>9} {:>6}\n", "strategy", "prim", "target",
                       "sizes", "fixed us", "ns/page", "R2");
    }
    two_sizes = two_sizes || f.fit.n == 2;
    const std::string fixed =
        fmt::format("{:.2f}{}", f.fit.fixed / 1000.0, f.kernel_fault ? "*" : "");
    o += fmt::format("{:<12} {:<6} {:<6} {:>5} {:>9} {:>9.1f} {:>6}\n", cut(f.strategy, 12),
                     cut(f.primitive.empty() ? "-" : f.primitive, 6), cut(f.target, 6), f.fit.n,
                     fixed, f.fit.per_unit, r2_text(f.fit));
  }
  if (two_sizes) o += "two sizes: the line passes through both medians (R2 = 1 by construction).\n";
  return o;
}

std::string render_folio_fits_markdown(const FolioFits& ff) {
  if (ff.fits.empty()) return "";
  std::string o = fmt::format(
      "\n### Cost against folio size\n\ncost = fixed + per-page x pages ({} pages), least squares "
      "on the cost medians at each size.\n\n| series | sizes | fixed (us) | per page (ns) | R² |\n"
      "|---|---|---|---|---|\n",
      exact_size(ff.page_bytes));
  for (const FolioFit& f : ff.fits)
    o += fmt::format("| {} {} {} ({}) | {} | {:.2f} | {:.1f} | {} |\n", f.strategy,
                     f.primitive.empty() ? "-" : f.primitive, f.target, f.family,
                     fmt::join(size_names(f.sizes), ", "), f.fit.fixed / 1000.0, f.fit.per_unit,
                     r2_text(f.fit));
  return o;
}

nlohmann::json folio_fits_json(const FolioFits& ff) {
  nlohmann::json fits = nlohmann::json::array();
  for (const FolioFit& f : ff.fits)
    fits.push_back({{"series", f.series},
                    {"strategy", f.strategy},
                    {"primitive", f.primitive},
                    {"target", f.target},
                    {"sizes", f.sizes},
                    {"medians_ns", f.medians_ns},
                    {"fixed_ns", f.fit.fixed},
                    {"per_page_ns", f.fit.per_unit},
                    {"r2", std::isnan(f.fit.r2) ? nlohmann::json() : nlohmann::json(f.fit.r2)}});
  return {{"page_bytes", ff.page_bytes}, {"fits", fits}};
}

}  // namespace zs
