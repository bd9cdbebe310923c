// zeroscope mmap-bench: placeholder until implemented.
#include "cli/usage.h"

namespace zs::cli {
Runner add_mmap_bench(CLI::App&) { return {}; }
}  // namespace zs::cli
