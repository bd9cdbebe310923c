// The report's "Fault anatomy" section: for every kernel-fault point, the
// medians of the fault and of its three spans from the kernel's tracepoints
// (entry to folio allocated, folio allocated to the next allocation: the
// zeroing plus the charge, an upper bound; the rest to the return), how
// many faults carry them and why the others do not, and what the tracing
// cost a fault (meta.json's fault_anatomy.tracing_cost).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/results_data.h"

namespace zs {

struct FaultAnatomyEntry {
  std::string key, group, target;
  std::size_t faults = 0, traced = 0;
  double fault_ns = 0;                              // the fault phase's median (all kept faults)
  std::optional<double> alloc_ns, zero_ns, map_ns;  // medians of the traced faults
  std::map<std::string, std::uint64_t> untraced;    // reason -> faults
};

struct FaultAnatomySection {
  // Empty: no kernel-fault point, or a run without meta.json's fault_anatomy.
  std::vector<FaultAnatomyEntry> entries;
  nlohmann::json tracing_cost;  // null when not measured
  std::string why;              // why nothing was traced ("" when something was)
};

FaultAnatomySection build_fault_anatomy(const ResultsData& d);
// "" when the run has no kernel-fault point.
std::string render_fault_anatomy_text(const FaultAnatomySection& s);
std::string render_fault_anatomy_markdown(const FaultAnatomySection& s);
nlohmann::json fault_anatomy_json(const FaultAnatomySection& s);

}  // namespace zs
