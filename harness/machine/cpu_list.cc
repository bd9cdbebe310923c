#include "machine/cpu_list.h"

#include <numa.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace zs {
namespace {

std::optional<std::uint64_t> weight(bitmask* mask) {
  if (mask == nullptr) return std::nullopt;
  const std::uint64_t n = numa_bitmask_weight(mask);
  numa_bitmask_free(mask);
  return n;
}

}  // namespace

// The _all variants check against every CPU (node) the machine has, not
// only those this process may use: the lists describe the machine.
std::optional<std::uint64_t> cpu_list_count(const std::string& list) {
  return weight(numa_parse_cpustring_all(list.c_str()));
}

std::optional<std::uint64_t> node_list_count(const std::string& list) {
  return weight(numa_parse_nodestring_all(list.c_str()));
}

std::string cpu_list_text(const std::vector<int>& cpus) {
  return fmt::format("{}", fmt::join(cpus, ","));
}

}  // namespace zs
