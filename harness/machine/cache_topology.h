// The data and unified caches the kernel describes for a CPU in sysfs
// (/sys/devices/system/cpu/cpu0/cache/index*/): what the capability record
// lists and where cold pools get the last-level cache from first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zs {

inline constexpr const char* kCpu0CacheDir = "/sys/devices/system/cpu/cpu0/cache";

struct SysfsCache {
  int level = 0;
  std::string type;  // "Data" | "Unified"
  std::uint64_t bytes = 0;
  std::string source;  // "sysfs cpu0 index3"
  std::optional<std::string> shared_cpu_list;
};

// Every index*/ of `dir` whose level, type and size ("32768K") read and
// parse, instruction caches left out; by level, then index.
std::vector<SysfsCache> sysfs_caches(const std::string& dir = kCpu0CacheDir);

}  // namespace zs
