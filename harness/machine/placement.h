// Where the measuring thread runs and where its memory comes from: one CPU
// (pinned) and one NUMA node (memory bound with libnuma), both recorded.
#pragma once

#include <optional>
#include <string>

namespace zs {

// The sources of a CPU or node the user chose (the `cpu` / `node` setting
// of a sweep or the same options of `measure`), as the results record them.
inline constexpr const char* kConfiguredCpu = "configured (cpu)";
inline constexpr const char* kConfiguredNode = "configured (node)";

struct Placement {
  int cpu = -1;
  std::string cpu_source;   // kConfiguredCpu, "highest CPU of the affinity mask"
  int node = -1;            // -1: NUMA not available (memory policy untouched)
  std::string node_source;  // kConfiguredNode, "node of the CPU", or why untouched
};

// Pins the calling thread to `cpu` (default: the highest CPU it may run on,
// away from CPU 0's housekeeping) and binds its memory strictly to `node`
// (default: the CPU's node). Throws SetupError about Option::cpu for a CPU
// outside the affinity mask, about Option::node for a node that does not
// exist or has no memory.
Placement apply_placement(std::optional<int> cpu, std::optional<int> node);

}  // namespace zs
