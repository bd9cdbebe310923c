#include "machine/placement.h"

#include <numa.h>
#include <sched.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "common/errors.h"
#include "machine/cpu_list.h"

namespace zs {

namespace {
std::vector<int> cpus_of(const cpu_set_t& set) {
  std::vector<int> cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  return cpus;
}
}  // namespace

Placement apply_placement(std::optional<int> cpu, std::optional<int> node) {
  Placement p;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0)
    throw SetupError(fmt::format("cannot read the CPU affinity: {}", std::strerror(errno)));
  const std::vector<int> allowed_cpus = cpus_of(allowed);
  if (cpu) {
    if (*cpu < 0 || *cpu >= CPU_SETSIZE || !CPU_ISSET(*cpu, &allowed))
      throw SetupError(Option::cpu,
                       fmt::format("CPU {} is not one this process may run on; allowed: {}", *cpu,
                                   cpu_list_text(allowed_cpus)));
    p.cpu = *cpu;
    p.cpu_source = kConfiguredCpu;
  } else {
    p.cpu = allowed_cpus.empty() ? 0 : allowed_cpus.back();
    p.cpu_source = "highest CPU of the affinity mask";
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(p.cpu, &one);
  if (sched_setaffinity(0, sizeof one, &one) != 0)
    throw SetupError(fmt::format("cannot pin to CPU {}: {}", p.cpu, std::strerror(errno)));

  if (numa_available() < 0) {
    if (node && *node != 0)
      throw SetupError(Option::node,
                       fmt::format("{} requested but this kernel has no NUMA support; use node 0 "
                                   "or omit {}",
                                   *node, option_ref(Option::node)));
    p.node_source = "NUMA not available: memory policy left as is";
    return p;
  }
  const int max = numa_max_node();
  if (node) {
    if (*node < 0 || *node > max || numa_node_size64(*node, nullptr) <= 0)
      throw SetupError(
          Option::node,
          fmt::format("node {} does not exist or has no memory; nodes: 0..{}", *node, max));
    p.node = *node;
    p.node_source = kConfiguredNode;
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
