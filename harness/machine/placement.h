// Where the measuring thread runs and where its memory comes from: one CPU
// (pinned) and one NUMA node (memory bound with libnuma), both recorded.
#pragma once

#include <optional>
#include <string>

namespace zs {

struct Placement {
  int cpu = -1;
  std::string cpu_source;  // "--cpu", "highest CPU of the affinity mask"
  int node = -1;           // -1: NUMA not available (memory policy untouched)
  std::string node_source;
};

// Pins the calling thread to `cpu` (default: the highest CPU it may run on,
// away from CPU 0's housekeeping) and binds its memory strictly to `node`
// (default: the CPU's node). Throws SetupError for a CPU outside the
// affinity mask or a node that does not exist or has no memory.
Placement apply_placement(std::optional<int> cpu, std::optional<int> node);

}  // namespace zs
