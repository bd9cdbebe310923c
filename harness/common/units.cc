#include "common/units.h"

#include <fmt/format.h>

namespace zs {

namespace {

// The power of 1024 of the largest of GiB, MiB and KiB that divides a
// non-zero `bytes` (3, 2, 1), else 0 (bytes).
int exact_power(std::uint64_t bytes) {
  for (int p = 3; p > 0; --p)
    if (bytes != 0 && bytes % (1ull << (10 * p)) == 0) return p;
  return 0;
}

}  // namespace

std::string exact_size(std::uint64_t bytes) {
  constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB"};
  const int p = exact_power(bytes);
  return fmt::format("{} {}", bytes >> (10 * p), kUnits[p]);
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
  constexpr const char* kUnits[] = {"B", "KB", "MB", "GB"};
  const int p = exact_power(bytes);
  return fmt::format("{}{}", bytes >> (10 * p), kUnits[p]);
}

}  // namespace zs
