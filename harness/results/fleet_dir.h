// A fleet directory, results/fleet-<yyyymmdd-hhmmss>/, as `./run.sh fleet`
// writes it on the controller: fleet.json (schema "zeroscope-fleet/1": the
// fleet's command, and per inventory host its status, reason, results
// directory, span and commit) and one results directory per host that
// completed, FLEETDIR/<inventory_hostname>/, exactly as `zeroscope run`
// wrote it there. Readers use a host's results only when its status is
// "completed" (a failed host may have left a partial directory). Keys this
// reader does not know are ignored, so a newer writer's additions do not
// break it. The python twin is plots/zsplot/fleet.py.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zs {

inline constexpr const char* kFleetSchema = "zeroscope-fleet/1";

struct FleetHost {
  std::string name;  // the inventory_hostname
  std::string
      status;  // completed | failed | unreachable | refused | interrupted | pending (or newer)
  std::string reason;               // one line; "" when completed
  std::vector<std::string> groups;  // inventory groups (not the vendor: that is the record's)
  std::string results;  // absolute path of the host's results directory when completed, else ""
  std::string results_path;  // the same as FleetDir::dir/<fleet.json's "results">, for messages
  std::string started, ended, commit;  // "" where fleet.json has null
  bool completed() const { return status == "completed"; }
};

struct FleetDir {
  std::string dir;  // as given
  std::string name, started, ended, commit, zeroscope_version, inventory, config;
  std::vector<std::string> run_options;
  std::uint64_t resumes = 0;
  std::vector<FleetHost> hosts;  // in fleet.json's order
  std::vector<const FleetHost*> completed() const;
};

// DIR holds a fleet.json (damaged or not): `report` and `compare` take it as a fleet.
bool is_fleet_dir(const std::string& path);

// Throws SetupError, one line naming DIR/fleet.json (or the host's
// directory) and the fix, when fleet.json is missing, not a regular file of
// at most 16 MiB, not JSON, not schema zeroscope-fleet/1, has no hosts, a
// host without a status, or a completed host whose results directory is
// missing or lies outside DIR.
FleetDir read_fleet_dir(const std::string& path);

}  // namespace zs
