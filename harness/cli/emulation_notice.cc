#include "cli/emulation_notice.h"

#include <fmt/format.h>

#include "machine/emulation.h"
#include "platform/platform.h"
#include "report/emulation_warning.h"
#include "sweep/emulation_checks.h"

namespace zs::cli {

void print_emulation_notice(const char* command, const std::vector<Point>* points) {
  nlohmann::json record = emulation_json(this_emulation());
  record["cpu"]["arch"] = platform::cpu_signature().arch;
  if (const std::string w = emulation_warning(record); !w.empty())
    fmt::print(stderr, "zeroscope {}: WARNING: {}\n", command, w);
  if (points) refuse_what_emulation_breaks(record, *points);
}

}  // namespace zs::cli
