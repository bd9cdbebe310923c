// Parsers of /proc and /sys text: pure functions over the file's content,
// so that each is tested with samples from other machines
// (tests/fixtures/procfs/). The reading is the caller's (sysfs::read).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace zs::procfs {

// /proc/cpuinfo: the first value of every "key : value" line, keys and
// values trimmed. That is cpu0's block on x86 (one block per CPU, all keys
// in each) and on arm64 (MIDR fields per CPU), plus the global lines some
// kernels add at the end ("Hardware", "Serial").
std::map<std::string, std::string> cpuinfo_fields(std::string_view text);

// The words of cpu0's "flags" line (x86): the kernel's feature words,
// including its synthetic ones (constant_tsc, rep_good) that the CPU does
// not report itself. Empty when there is no such line (arm64 names them "Features").
std::set<std::string> cpuinfo_flags(std::string_view text);

// /sys/devices/system/node/node<N>/meminfo ("Node 0 MemTotal:  6776608 kB"):
// MemTotal and MemFree in bytes, nullopt for a line that is absent.
struct NodeMemory {
  std::optional<std::uint64_t> total_bytes, free_bytes;
};
NodeMemory node_meminfo(std::string_view text);

// /proc/cmdline: the value of the last `key=value` argument (the kernel
// applies its parameters in order, so the last one wins); nullopt when the
// key is not given.
std::optional<std::string> cmdline_value(std::string_view cmdline, std::string_view key);

// The kernel's selected choice in a list: "always [madvise] never" (sysfs
// settings) and "none voluntary (full) lazy" (debugfs sched/preempt) ->
// "madvise", "full"; the whole text when nothing is marked.
std::string selected_choice(std::string_view choices);

// The options a kernel build config sets to y ("CONFIG_PREEMPT_NONE=y"
// -> "CONFIG_PREEMPT_NONE"); comments and =m / string values are left out.
std::set<std::string> config_enabled(std::string_view config);

}  // namespace zs::procfs
