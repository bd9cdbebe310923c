// `zeroscope report --by host FLEETDIR`: the same points measured on every
// host of a fleet (report/fleet_hosts.h), one column per host. Absolute
// times differ between CPUs by more than the clearing orders differ from
// each other, so each host's points are divided by that host's own
// baseline, measured in the same run (its points interleaved with the
// baseline's, so the ratio is free of the host's run-to-run drift): the
// replica of the host's kernel path where its meta.json records the path
// and the run measured it, else upstream, else sequential (or the strategy
// asked for). A cell is the ratio of medians with its 95% interval (BCa
// within one run; over runs, then samples, for a replicates parent), the
// baseline's own cell its median; a host that did not measure a point has
// no cell, never a number. Each host's replica fidelity (kernel-fault over
// the replica of its path) and the capability records follow.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/fidelity.h"
#include "report/fleet_capability.h"
#include "report/fleet_hosts.h"
#include "stats/stats.h"

namespace zs {

struct FleetReportOptions {
  std::string baseline;  // "" = per host: the replica of its kernel's path, upstream, sequential
  std::uint64_t seed = 1;
  std::string command;
};

struct FleetCell {
  bool measured = false;  // the host kept samples of the point
  bool is_baseline = false;
  double median_ns = 0;  // cost phase (fault for kernel-fault); median of run medians with runs
  std::size_t n = 0;     // kept samples
  std::optional<stats::Interval> ratio;  // the point's median over the baseline's
  std::string baseline_key;              // the baseline point of the ratio
  std::string why;                       // measured but no ratio: why
};

struct FleetRow {
  PointInfo point;               // as in the first host that has it
  std::vector<FleetCell> cells;  // one per host, in FleetReport::hosts' order
};

// A host's baseline for one table.
struct FleetBaseline {
  std::string strategy;  // "" = none measured
  bool replica = false;  // the replica of the host's kernel path
  std::string why;       // why not the replica ("" when it is)
};

struct FleetGroup {
  std::string name;                      // PointInfo::group()
  std::vector<FleetBaseline> baselines;  // per host
  std::vector<FleetRow> rows;
  // kernel-fault points of the table: per host, its fidelity (nullopt where
  // the host has no such point), in the rows' order.
  std::vector<PointInfo> fidelity_points;
  std::vector<std::vector<std::optional<Fidelity>>> fidelity;
};

struct FleetHostInfo {
  std::string name, vendor, dir, status;
  std::vector<std::string> groups;  // inventory groups
  std::size_t runs = 1;
  std::vector<std::string> notes;  // what the reader left out
  std::vector<Fidelity> fidelity;
};

struct FleetReport {
  FleetDir fleet;
  std::string command;
  std::vector<FleetHostInfo> hosts;  // completed, by vendor
  std::vector<std::string> vendors;
  std::vector<FleetHost> not_completed;
  std::vector<FleetGroup> groups;
  FleetCapability capability;
  bool any_runs = false;  // some host has replicate runs
};

// Throws SetupError(Option::baseline) when `baseline` is no host's strategy.
FleetReport build_fleet_report(const FleetHosts& f, const FleetReportOptions& opt);

// "1.10 [0.95,1.30]": two decimals below 10, one below 100, none above.
std::string format_ratio(const stats::Interval& r);

std::string render_fleet_text(const FleetReport& r);
std::string render_fleet_markdown(const FleetReport& r);
std::string render_fleet_csv(const FleetReport& r);
nlohmann::json render_fleet_json(const FleetReport& r);

}  // namespace zs
