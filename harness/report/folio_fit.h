// The report's cost model across folio sizes: for every series measured at
// two or more sizes (a strategy, primitive and target with everything else
// equal), cost = fixed + per-page x pages, fitted by least squares
// (stats/linear_fit.h, Eigen) to the cost-phase medians at each size. The
// medians, not the samples: a few slow samples of a cold-cache run would
// otherwise pull the line away from the points (plots/folio_size.py draws
// the same line). With two sizes the line passes through both medians.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stats/linear_fit.h"

namespace zs {

struct Report;

struct FolioFit {
  std::string series;  // the point key without its folio size
  std::string family;  // "base, access page/write, cache cold": the tables' groups without the size
  std::string strategy, primitive, target;  // primitive as measured, "" for kernel-fault
  bool kernel_fault = false;
  std::vector<std::uint64_t> sizes;  // folio bytes, ascending
  std::vector<double> medians_ns;    // cost-phase median at each size
  stats::LinearFit fit;              // x = pages of page_bytes, y = ns
};

struct FolioFits {
  std::uint64_t page_bytes = 0;  // the base page the pages are counted in
  std::vector<FolioFit> fits;    // in the order of the report's groups; empty: one size only
};

// The base page of the machine a results directory was made on, from the
// THP PMD size in its meta.json (a PMD maps page / 8 pages of `page` bytes,
// so page = sqrt(8 x pmd)); 4096 where meta.json does not say.
std::uint64_t base_page_of(const nlohmann::json& meta);

FolioFits fit_folio_sizes(const Report& r, std::uint64_t page_bytes);

// The report's section, "" when there is no fit: text (80 columns) and markdown.
std::string render_folio_fits_text(const FolioFits& f);
std::string render_folio_fits_markdown(const FolioFits& f);
nlohmann::json folio_fits_json(const FolioFits& f);

}  // namespace zs
