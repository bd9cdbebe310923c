// zeroscope measure: placeholder until implemented.
#include "cli/usage.h"

namespace zs::cli {
Runner add_measure(CLI::App&) { return {}; }
}  // namespace zs::cli
