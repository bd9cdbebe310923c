// Kernel CPU and node lists ("0-3,8-11", /sys/devices/system/cpu/online,
// /sys/devices/system/node/online), parsed by libnuma.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zs {

// The number of CPUs (nodes) a list names: "0-3,8-11" -> 8, "" -> 0.
// libnuma checks every number against what this machine has configured, so
// the lists are this machine's; nullopt for one that does not parse or names
// a CPU (node) beyond them (libnuma then warns on stderr).
std::optional<std::uint64_t> cpu_list_count(const std::string& list);
std::optional<std::uint64_t> node_list_count(const std::string& list);

// "0,1,2,3": the CPUs, comma-separated, for messages.
std::string cpu_list_text(const std::vector<int>& cpus);

}  // namespace zs
