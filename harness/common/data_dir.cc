#include "common/data_dir.h"

#include <filesystem>
#include <system_error>

namespace fs = std::filesystem;

namespace zs {
namespace {

// ZS_DATA_FROM_BIN ("../share/zeroscope") and ZS_SOURCE_DIR come from
// harness/CMakeLists.txt: the first is the install layout, the second only a
// fallback for programs run from the build tree.
const char* installed_name(DataDir d) {
  switch (d) {
    case DataDir::events:
      return "events";
    case DataDir::plots:
      return "plots";
    case DataDir::configs:
      return "configs";
  }
  return "";
}

const char* source_name(DataDir d) {
  switch (d) {
    case DataDir::events:
      return "configs/events";
    case DataDir::plots:
      return "plots";
    case DataDir::configs:
      return "configs";
  }
  return "";
}

}  // namespace

std::string data_dir(DataDir d) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path installed =
      ec ? fs::path()
         : (exe.parent_path() / ZS_DATA_FROM_BIN / installed_name(d)).lexically_normal();
  if (!installed.empty() && fs::is_directory(installed, ec)) return installed.string();
  const fs::path source = fs::path(ZS_SOURCE_DIR) / source_name(d);
  if (installed.empty() || fs::is_directory(source, ec)) return source.string();
  return installed.string();
}

}  // namespace zs
