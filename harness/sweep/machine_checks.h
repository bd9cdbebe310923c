// What a sweep file asks of this machine, checked while the file is read:
// a CPU this process may run on, a NUMA node with memory, the base page.
// Each check returns the problem in words, or nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace zs::sweep_machine {

std::uint64_t base_page();
// "CPU 9 is not one this process may run on; allowed: 0-3, 6"
std::optional<std::string> cpu_problem(int cpu);
// "node 3 does not exist or has no memory; nodes: 0..1"
std::optional<std::string> node_problem(int node);

}  // namespace zs::sweep_machine
