#include "cli/measure_residency.h"

#include <fmt/format.h>

#include "report/residency_text.h"
#include "results/results_data.h"

namespace zs::cli {

MeasureResidency::MeasureResidency(SweepSession& session) : session_(session) {
  if (!session.residency) return;
  session.residency_sink = [this](std::size_t point, std::uint32_t rep,
                                  const std::vector<float>& ns) {
    const ResidencyThresholds& t = session_.residency->rule.thresholds;
    for (std::size_t page = 0; page < ns.size(); ++page)
      rows_.push_back({session_.keys()[point], rep, static_cast<std::uint32_t>(page), ns[page],
                       classify(ns[page], t)});
  };
}

void MeasureResidency::print(const std::vector<Point>& points) const {
  if (rows_.empty()) return;
  std::vector<PointInfo> infos;
  for (const Point& p : points) infos.push_back(point_info(point_to_json(p)));
  fmt::print("\n{}", render_residency_text(summarize_residency(rows_, infos)));
}

}  // namespace zs::cli
