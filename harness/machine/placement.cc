#include "machine/placement.h"

#include <numa.h>
#include <sched.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"

namespace zs {

namespace {
std::string allowed_cpus(const cpu_set_t& set) {
  std::string s;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) s += (s.empty() ? "" : ",") + std::to_string(c);
  return s;
}
}  // namespace

Placement apply_placement(std::optional<int> cpu, std::optional<int> node) {
  Placement p;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
    throw SetupError(fmt::format("cannot read the CPU affinity: {}", std::strerror(errno)));
  if (cpu) {
    if (*cpu < 0 || *cpu >= CPU_SETSIZE || !CPU_ISSET(*cpu, &allowed))
      throw SetupError(fmt::format("--cpu: CPU {} is not one this process may run on; allowed: {}",
                                   *cpu, allowed_cpus(allowed)));
    p.cpu = *cpu;
    p.cpu_source = "--cpu";
  } else {
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &allowed)) p.cpu = c;
    p.cpu_source = "highest CPU of the affinity mask";
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(p.cpu, &one);
  if (sched_setaffinity(0, sizeof one, &one) != 0)
    throw SetupError(fmt::format("cannot pin to CPU {}: {}", p.cpu, std::strerror(errno)));

  if (numa_available() < 0) {
    if (node && *node != 0)
      throw SetupError(fmt::format("--node: {} requested but this kernel has no NUMA support; use node 0 or omit --node", *node));
    p.node_source = "NUMA not available: memory policy left as is";
    return p;
  }
  const int max = numa_max_node();
  if (node) {
    if (*node < 0 || *node > max || numa_node_size64(*node, nullptr) <= 0)
      throw SetupError(fmt::format("--node: node {} does not exist or has no memory; nodes: 0..{}", *node, max));
    p.node = *node;
    p.node_source = "--node";
  } else {
    p.node = numa_node_of_cpu(p.cpu);
    p.node_source = "node of the CPU";
  }
  bitmask* mask = numa_allocate_nodemask();
  numa_bitmask_setbit(mask, static_cast<unsigned>(p.node));
  numa_set_bind_policy(1);  // strict: fail rather than spill to another node
  numa_set_membind(mask);
  numa_free_nodemask(mask);
  return p;
}

}  // namespace zs
