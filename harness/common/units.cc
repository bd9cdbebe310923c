#include "common/units.h"

#include <fmt/format.h>

namespace zs {

std::string exact_size(std::uint64_t bytes) {
  constexpr const char* kUnits[] = {"GiB", "MiB", "KiB"};
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t unit = 1ull << (30 - 10 * i);
    if (bytes != 0 && bytes % unit == 0) return fmt::format("{} {}", bytes / unit, kUnits[i]);
  }
  return fmt::format("{} B", bytes);
}

std::string approx_size(std::uint64_t bytes) {
  constexpr const char* kUnits[] = {"GiB", "MiB", "KiB"};
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t unit = 1ull << (30 - 10 * i);
    if (bytes >= unit) return fmt::format("{:.2f} {}", double(bytes) / double(unit), kUnits[i]);
  }
  return fmt::format("{} B", bytes);
}

std::string compact_size(std::uint64_t bytes) {
  constexpr const char* kUnits[] = {"GB", "MB", "KB"};
  for (int i = 0; i < 3; ++i) {
    const std::uint64_t unit = 1ull << (30 - 10 * i);
    if (bytes != 0 && bytes % unit == 0) return fmt::format("{}{}", bytes / unit, kUnits[i]);
  }
  return fmt::format("{}B", bytes);
}

}  // namespace zs
