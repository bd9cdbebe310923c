#include "results/summary.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "results/csv.h"

namespace zs {

std::vector<SummaryRow> summarize_samples(const SamplesFile& samples) {
  const std::vector<std::string> columns = measured_columns(samples.layout);
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::pair<std::string, std::string>, std::vector<std::vector<double>>> values;
  for (const SampleRow& r : samples.rows) {
    if (!r.kept()) continue;
    auto id = std::make_pair(r.key, r.phase);
    auto [it, fresh] = values.try_emplace(id, columns.size());
    if (fresh) order.push_back(id);
    const auto v = measured_values(r);
    for (std::size_t k = 0; k < v.size(); ++k)
      if (v[k]) it->second[k].push_back(*v[k]);
  }
  std::vector<SummaryRow> out;
  for (const auto& id : order) {
    const auto& cols = values[id];
    for (std::size_t k = 0; k < columns.size(); ++k)
      if (!cols[k].empty())
        out.push_back({id.first, id.second, columns[k], stats::summarize(cols[k])});
  }
  return out;
}

std::string format_summary(const std::vector<SummaryRow>& rows) {
  const std::vector<std::string> header = {"key",    "phase",  "column", "n",  "mean",
                                           "median", "stddev", "min",    "p5", "p95"};
  std::string out = csv::record(header);
  auto g = [](double x) { return fmt::format("{:.6g}", x); };
  for (const SummaryRow& r : rows) {
    const stats::Summary& s = r.s;
    const std::vector<std::string> cells = {r.key,
                                            r.phase,
                                            r.column,
                                            std::to_string(s.n),
                                            g(s.mean),
                                            g(s.median),
                                            s.n > 1 ? g(s.stddev) : "",
                                            g(s.min),
                                            g(s.p5),
                                            g(s.p95)};
    out += csv::record(cells);
  }
  return out;
}

void write_summary_csv(const std::vector<SummaryRow>& rows, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << format_summary(rows);
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", tmp));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw std::runtime_error(
        fmt::format("cannot rename {} to {}: {}", tmp, path, std::strerror(errno)));
}

}  // namespace zs
