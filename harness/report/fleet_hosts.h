// The hosts of a fleet directory (results/fleet_dir.h) as `report --by
// host`, `compare --by host` and the fleet plot see them: each completed
// host's runs loaded (one results directory, or a `run --replicates`
// parent's runs), its vendor taken from its own capability record (the CPU
// vendor on x86, the MIDR implementer on arm64; never the inventory groups,
// which are shown beside it), and the hosts ordered by vendor: vendors in
// the order their first host appears in fleet.json, hosts of one vendor in
// fleet.json's order.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/fleet_dir.h"
#include "results/results_data.h"

namespace zs {

// "Intel", "AMD", "Hygon", "ARM (arm64)", "Ampere (arm64)", ...; the raw
// vendor string for another x86 vendor; "unknown vendor" when the record
// has none.
std::string vendor_of(const nlohmann::json& meta);

struct LoadedHost {
  FleetHost host;
  std::string vendor;
  std::vector<ResultsData> runs;  // 2+ for a replicates parent
};

struct FleetHosts {
  FleetDir fleet;
  std::vector<LoadedHost> hosts;         // completed, ordered by vendor
  std::vector<std::string> vendors;      // in that order
  std::vector<FleetHost> not_completed;  // in fleet.json's order
};

// Throws SetupError (read_fleet_dir, load_runs: one line naming the file
// and the fix) when the fleet or a completed host's results cannot be read,
// or when no host completed. `lenient` as for load_runs.
FleetHosts load_fleet_hosts(const std::string& fleet_dir, bool lenient);

}  // namespace zs
