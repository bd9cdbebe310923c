// The report's residency section: per residency point (strategy and
// target), from residency.csv, how many of the folio's pages were in each
// level right after zeroing (the median over samples), where the hot region
// is (the page ranges classified L1 or L2 in most samples), and the median
// load latency of the first 3 pages, the 3 around the middle and the last 3.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/residency.h"
#include "results/residency_csv.h"
#include "results/results_data.h"

namespace zs {

struct ResidencyEntry {
  std::string key, group, strategy, target;
  std::size_t samples = 0;
  std::uint64_t pages = 0;
  std::array<double, kResidencyLevels> level_pages{};        // L1, L2, LLC, memory
  std::vector<std::pair<std::uint32_t, std::uint32_t>> hot;  // inclusive page ranges
  double first_ns = 0, middle_ns = 0, last_ns = 0;
};

struct ResidencySection {
  std::vector<ResidencyEntry> entries;
  std::vector<std::string> notes;  // a torn last line, rows left out
};

// One entry per key, in the order of `points` (keys without points last,
// named by their key).
ResidencySection summarize_residency(const std::vector<ResidencyRow>& rows,
                                     const std::vector<PointInfo>& points);
// From the results directory's residency.csv; empty when it has none.
// Throws SetupError on a damaged file unless `lenient`.
ResidencySection build_residency(const ResultsData& d, bool lenient = false);
// Every run's residency.csv of a replicates parent (run --replicates), their
// samples pooled.
ResidencySection build_residency(const std::vector<ResultsData>& runs,
                                 const std::vector<PointInfo>& points, bool lenient);

// "a-b, c" for the ranges; "none" when empty.
std::string page_ranges_text(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& r);

std::string render_residency_text(const ResidencySection& s);
nlohmann::json residency_section_json(const ResidencySection& s);

}  // namespace zs
