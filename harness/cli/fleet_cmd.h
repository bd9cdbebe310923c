// The fleet directory's hooks into `zeroscope report` and `compare`
// (report_cmd.cc): `report --by host FLEETDIR` and `compare --by host
// FLEETDIR [DIR...]`.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace zs::cli {

struct FleetReportArgs {
  std::string dir, by, baseline, format, metric = "ns";
  bool plots = false, lenient = false;
};

// Runs a plot script with its arguments (report_cmd.cc's run_plots).
using PlotRunner = std::function<int(const std::string&, const std::vector<std::string>&)>;

// Whether `report` is about a fleet: --by given, or DIR a fleet directory.
// Throws UsageError for a fleet directory without --by host (the hint) and
// for --by other than host.
bool fleet_report_wanted(const std::string& dir, const std::string& by);
int run_fleet_report(const FleetReportArgs& a, const PlotRunner& plots);

// compare's arguments with each fleet directory replaced, in place, by its
// completed hosts' results directories (vendor order), each a side of its
// own. Throws UsageError for a fleet directory without --by host, or inside
// a side of replicate runs (DIR1,DIR2).
std::vector<std::string> expand_fleet_sides(const std::vector<std::string>& dirs,
                                            const std::string& by, bool lenient);

}  // namespace zs::cli
