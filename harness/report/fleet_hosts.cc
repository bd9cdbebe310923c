#include "report/fleet_hosts.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "results/results_runs.h"

namespace zs {

std::string vendor_of(const nlohmann::json& meta) {
  const nlohmann::json::json_pointer cpu("/capability/cpu");
  if (!meta.contains(cpu) || !meta.at(cpu).is_object()) return "unknown vendor";
  const nlohmann::json& c = meta.at(cpu);
  const std::string vendor = c.value("vendor", nlohmann::json()).is_string() ? c["vendor"] : "";
  const std::string arch = c.contains("arch") && c["arch"].is_string() ? c["arch"] : "";
  if (vendor.empty()) return "unknown vendor";
  if (arch == "arm64") return vendor + " (arm64)";
  if (vendor == "GenuineIntel") return "Intel";
  if (vendor == "AuthenticAMD") return "AMD";
  if (vendor == "HygonGenuine") return "Hygon";
  return vendor;
}

FleetHosts load_fleet_hosts(const std::string& fleet_dir, bool lenient) {
  FleetHosts f;
  f.fleet = read_fleet_dir(fleet_dir);
  std::vector<LoadedHost> loaded;
  for (const FleetHost& h : f.fleet.hosts) {
    if (!h.completed()) {
      f.not_completed.push_back(h);
      continue;
    }
    LoadedHost l;
    l.host = h;
    l.runs = load_runs(h.results_path, lenient);
    l.vendor = vendor_of(l.runs.front().meta);
    if (std::find(f.vendors.begin(), f.vendors.end(), l.vendor) == f.vendors.end())
      f.vendors.push_back(l.vendor);
    loaded.push_back(std::move(l));
  }
  if (loaded.empty()) {
    std::vector<std::string> why;
    for (const FleetHost& h : f.not_completed) why.push_back(h.name + ": " + h.status);
    throw SetupError(fmt::format(
        "{}/fleet.json: no host completed ({}); nothing to report: complete the fleet with "
        "./run.sh fleet --resume {} INVENTORY",
        fleet_dir, fmt::join(why, ", "), fleet_dir));
  }
  auto rank = [&](const LoadedHost& l) {
    return std::find(f.vendors.begin(), f.vendors.end(), l.vendor) - f.vendors.begin();
  };
  std::stable_sort(loaded.begin(), loaded.end(),
                   [&](const LoadedHost& a, const LoadedHost& b) { return rank(a) < rank(b); });
  f.hosts = std::move(loaded);
  return f;
}

}  // namespace zs
