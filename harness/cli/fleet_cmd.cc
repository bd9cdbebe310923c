#include "cli/fleet_cmd.h"

#include <cstdio>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/usage.h"
#include "report/fleet_report.h"
#include "results/fleet_dir.h"

namespace zs::cli {

bool fleet_report_wanted(const std::string& dir, const std::string& by) {
  if (!by.empty() && by != "host")
    throw UsageError(fmt::format(
        "--by: unknown '{}'; allowed: host (a fleet directory's hosts side by side)", by));
  if (by.empty() && is_fleet_dir(dir))
    throw UsageError(fmt::format(
        "{} is a fleet directory: report its hosts side by side with 'zeroscope report --by "
        "host {}', or one host with 'zeroscope report {}/HOST'",
        dir, dir, dir));
  return by == "host";
}

int run_fleet_report(const FleetReportArgs& a, const PlotRunner& plots) {
  if (a.format != "text" && a.format != "markdown" && a.format != "csv" && a.format != "json")
    throw UsageError(
        fmt::format("--format: unknown '{}'; allowed: text, markdown, csv, json", a.format));
  if (a.metric != "ns")
    throw UsageError(fmt::format(
        "--metric: {} is not for --by host: the hosts are compared in time (report one host "
        "for its counters: zeroscope report {}/HOST --metric {})",
        a.metric, a.dir, a.metric));
  const FleetHosts hosts = load_fleet_hosts(a.dir, a.lenient);
  FleetReportOptions opt;
  opt.baseline = a.baseline;
  std::vector<std::string> args = {"--by", "host", a.dir};
  if (!a.baseline.empty()) args.insert(args.end(), {"--baseline", a.baseline});
  if (a.lenient) args.push_back("--lenient");
  opt.command = fmt::format("zeroscope report {}", fmt::join(args, " "));
  const FleetReport r = build_fleet_report(hosts, opt);
  if (a.format == "csv")  // what a csv reader's table cannot hold reaches the terminal
    for (const FleetHost& h : r.not_completed)
      fmt::print(stderr, "zeroscope: host {} not completed: {}: {}\n", h.name, h.status, h.reason);
  if (a.format == "text") fmt::print("{}", render_fleet_text(r));
  if (a.format == "markdown") fmt::print("{}", render_fleet_markdown(r));
  if (a.format == "csv") fmt::print("{}", render_fleet_csv(r));
  if (a.format == "json") fmt::print("{}\n", render_fleet_json(r).dump(2));
  if (!a.plots) return 0;
  if (a.format == "text" || a.format == "markdown") fmt::print("\nplots:\n");
  std::fflush(stdout);
  std::vector<std::string> pargs = {a.dir, "--out", a.dir + "/plots"};
  if (!a.baseline.empty()) pargs.insert(pargs.end(), {"--baseline", a.baseline});
  if (a.lenient) pargs.push_back("--lenient");
  return plots("compare_machines.py", pargs);
}

std::vector<std::string> expand_fleet_sides(const std::vector<std::string>& dirs,
                                            const std::string& by, bool lenient) {
  std::vector<std::string> out;
  for (const std::string& arg : dirs) {
    std::stringstream ss(arg);
    std::vector<std::string> side;
    for (std::string d; std::getline(ss, d, ',');)
      if (!d.empty()) side.push_back(d);
    bool fleet = false;
    for (const std::string& d : side) fleet = fleet || is_fleet_dir(d);
    if (!fleet) {
      out.push_back(arg);
      continue;
    }
    if (side.size() > 1)
      throw UsageError(fmt::format(
          "'{}': a fleet directory is a side per host, not one of a side's replicate runs; give "
          "it alone",
          arg));
    if (by != "host")
      throw UsageError(
          fmt::format("{} is a fleet directory: compare its hosts with --by host", side.front()));
    const FleetHosts f = load_fleet_hosts(side.front(), lenient);
    if (dirs.size() == 1 && f.hosts.size() < 2)
      throw UsageError(fmt::format(
          "{}: only {} completed ({}); nothing to compare it with: give another results "
          "directory too, or complete the fleet",
          side.front(), f.hosts.front().host.name,
          f.not_completed.empty() ? "no other host" : "the others did not"));
    for (const LoadedHost& h : f.hosts) out.push_back(h.host.results_path);
  }
  return out;
}

}  // namespace zs::cli
