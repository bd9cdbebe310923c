#include "sweep/machine_checks.h"

#include <numa.h>
#include <sched.h>
#include <unistd.h>

#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace zs::sweep_machine {

namespace {

// "0-3, 6": the CPUs of `set` as ranges.
std::string cpu_ranges(const cpu_set_t& set) {
  std::vector<std::string> out;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (!CPU_ISSET(c, &set)) continue;
    int e = c;
    while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, &set)) ++e;
    out.push_back(e == c ? std::to_string(c) : fmt::format("{}-{}", c, e));
    c = e;
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

}  // namespace

std::uint64_t base_page() { return static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)); }

std::optional<std::string> cpu_problem(int cpu) {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return std::nullopt;
  // CPU_ISSET is false beyond the set's size, so a CPU past it is refused.
  if (CPU_ISSET(cpu, &allowed)) return std::nullopt;
  return fmt::format("CPU {} is not one this process may run on; allowed: {}", cpu,
                     cpu_ranges(allowed));
}

std::optional<std::string> node_problem(int node) {
  if (numa_available() < 0) {
    if (node == 0) return std::nullopt;
    return fmt::format(
        "node {} requested but this kernel has no NUMA support; use 0 or leave node out", node);
  }
  if (node > numa_max_node() || numa_node_size64(node, nullptr) <= 0)
    return fmt::format("node {} does not exist or has no memory; nodes: 0..{}", node,
                       numa_max_node());
  return std::nullopt;
}

}  // namespace zs::sweep_machine
