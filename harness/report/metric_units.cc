#include "report/metric_units.h"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "common/errors.h"
#include "counters/events.h"

namespace zs {

std::map<std::string, std::string> metric_units(const nlohmann::json& meta) {
  std::map<std::string, std::string> units;
  std::string uarch = "generic";
  if (const auto it = meta.find("counters"); it != meta.end() && it->is_object())
    if (const auto u = it->find("uarch"); u != it->end() && u->is_string())
      uarch = u->get<std::string>();
  // The run's own file first; generic.toml fills what it lacks.
  for (const std::string& stem : {uarch, std::string("generic")}) {
    const std::string path = events_dir() + "/" + stem + ".toml";
    if (!std::filesystem::exists(path)) continue;
    try {
      for (const MetricDef& m : load_event_file(path).metrics) {
        units.emplace(m.metric, m.unit);
        units.emplace(m.metric + "_kernel", m.unit);
      }
    } catch (const SetupError&) {
      // A damaged event file leaves its units unknown, said per column.
    }
  }
  return units;
}

std::string unit_of(const std::map<std::string, std::string>& units, const std::string& column) {
  const auto it = units.find(column);
  return it == units.end() ? "" : it->second;
}

std::string format_with_unit(double v, const std::string& unit) {
  struct Scale {
    double factor;
    const char* name;
  };
  auto scaled = [&](std::initializer_list<Scale> scales) {
    Scale pick = *scales.begin();
    for (const Scale& s : scales)
      if (std::fabs(v) >= s.factor) pick = s;
    return fmt::format("{:.4g} {}", v / pick.factor, pick.name);
  };
  if (std::isnan(v)) return "-";
  if (unit == "ns") return scaled({{1, "ns"}, {1e3, "us"}, {1e6, "ms"}, {1e9, "s"}});
  if (unit == "joules") return scaled({{1e-6, "uJ"}, {1e-3, "mJ"}, {1, "J"}});
  return fmt::format("{:.4g}", v);
}

std::string format_metric(const std::string& column, double v,
                          const std::map<std::string, std::string>& units) {
  const auto it = units.find(column);
  if (it == units.end()) return fmt::format("{} {:.4g} (unit unknown)", column, v);
  return column + " " + format_with_unit(v, it->second);
}

}  // namespace zs
