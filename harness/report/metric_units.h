// The unit of each counter column of a report, as the event files declare
// it for each metric (`unit = "ns"` for task_clock, "joules" for
// energy_pkg, a count otherwise), and a value written with it:
// `task_clock 178.5 us`, not `task_clock 1.785e+05`.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace zs {

// Column -> unit (count | ns | joules) for the metrics of the event file the
// run used (meta.json counters.uarch) and of generic.toml; a `_kernel`
// column has its metric's unit. Columns of neither are absent.
std::map<std::string, std::string> metric_units(const nlohmann::json& meta);

// The column's unit; "" when not known.
std::string unit_of(const std::map<std::string, std::string>& units, const std::string& column);

// A value in its unit at a readable scale: ns as ns, us, ms or s; joules as
// uJ, mJ or J; a count as a number (4 significant digits).
std::string format_with_unit(double v, const std::string& unit);

// One counter: "task_clock 178.5 us"; a column whose unit is not known is
// said to be so.
std::string format_metric(const std::string& column, double v,
                          const std::map<std::string, std::string>& units);

}  // namespace zs
