// A results directory read back for reporting and comparison: its meta.json
// and the kept samples of samples.csv, grouped by point and phase.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/zeroing_strategy.h"

namespace zs {

struct PointInfo {
  std::string key, backing, strategy, primitive, target, access, op, cache;
  std::uint64_t folio_size = 0;
  std::string memory = "recycled";  // the memory axis (older results: recycled)
  std::string group() const;        // "thp 2 MiB, access page/write, cold" — a report table
  bool kernel_fault() const { return strategy == kKernelFault; }
};
// From a point's record in meta.json (sweep/sweep_config.h point_to_json);
// throws on a missing field.
PointInfo point_info(const nlohmann::json& point);

struct PhaseData {
  std::vector<double> ns;
  // The sample each value of ns belongs to: its rep (replicate runs merged:
  // run << 32 | rep), so that phases of one sample pair up.
  std::vector<std::uint64_t> samples;
  std::map<std::string, std::vector<double>> metrics;  // counter column -> measured values
  std::string primitive;                               // the real primitive from the samples
  // The fault phase of kernel-fault: the spans of the kept samples that
  // have them (measure/fault_anatomy.h), and why the others have none.
  std::vector<double> fault_alloc_ns, fault_zero_ns, fault_map_ns;
  std::map<std::string, std::uint64_t> fault_untraced;  // reason -> samples
  // The zero phase of an aliased plan: each kept sample's mapping-only
  // time (samples.csv alias_map_ns), in the order of ns.
  std::vector<double> alias_map_ns;
  // Host-reported cost phases: each kept sample's touch of the harness's own
  // pages before it (samples.csv host_settle_ns, host_settle_slow).
  std::vector<double> host_settle_ns, host_settle_slow;
};

struct ResultsData {
  std::string dir;
  nlohmann::json meta;
  std::vector<PointInfo> points;  // in the config's order
  // key -> phase -> data (kept samples only)
  std::map<std::string, std::map<std::string, PhaseData>> data;
  std::map<std::string, std::uint64_t> left_out;    // reason -> samples
  std::vector<std::string> metric_columns;          // counter columns in samples.csv order
  std::map<std::string, std::string> not_measured;  // column -> reason
  // What the reader left out or found, one line each (damaged rows left
  // out with `lenient`, an interrupted run's partial last sample): said in
  // every report and comparison of these data.
  std::vector<std::string> notes;

  std::string cpu() const;     // model name
  std::string kernel() const;  // release
  std::string host() const;
  std::string label() const;
  std::string thp() const;  // THP enabled setting
  const PhaseData* phase(const std::string& key, const std::string& phase) const;
  // The phase whose time is "the zeroing" of a point: zero, or fault for kernel-fault.
  static const char* cost_phase(const PointInfo& p) { return p.kernel_fault() ? "fault" : "zero"; }
};

// Throws SetupError naming the file (and line) and the fix when DIR is not
// a results directory, meta.json is missing or malformed, or samples.csv is
// damaged (results/samples_schema.h; also: fewer rows than meta.json counts
// for a completed run, or no samples at all). `lenient`: damaged rows are
// left out and counted in `notes` instead; no samples left is still refused.
ResultsData load_results(const std::string& dir, bool lenient = false);

}  // namespace zs
