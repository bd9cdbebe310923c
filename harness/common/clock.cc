#include "common/clock.h"

#include <ctime>

#include <fmt/chrono.h>

namespace zs {

std::string utc_iso_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
}

std::string local_stamp_now() {
  return fmt::format("{:%Y%m%d-%H%M%S}", fmt::localtime(std::time(nullptr)));
}

}  // namespace zs
