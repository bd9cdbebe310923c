#include "machine/cache_topology.h"

#include <algorithm>
#include <filesystem>

#include "common/parse.h"
#include "machine/sysfs.h"

namespace zs {

std::vector<SysfsCache> sysfs_caches(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<SysfsCache> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename();
    if (name.rfind("index", 0) != 0) continue;
    auto level = sysfs::read_u64(e.path() / "level");
    auto type = sysfs::read(e.path() / "type");
    auto size = sysfs::read(e.path() / "size");
    auto bytes = size ? parse_size(*size) : std::nullopt;
    if (!level || !type || !bytes || *type == "Instruction") continue;
    out.push_back({int(*level), *type, *bytes, "sysfs cpu0 " + name,
                   sysfs::read(e.path() / "shared_cpu_list")});
  }
  std::sort(out.begin(), out.end(), [](const SysfsCache& a, const SysfsCache& b) {
    return a.level != b.level ? a.level < b.level : a.source < b.source;
  });
  return out;
}

}  // namespace zs
