// zeroscope info [--json]: the capability record of this machine, as text
// for people or as the JSON every results directory carries.
#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/usage.h"
#include "machine/capability.h"

namespace zs::cli {

namespace {
struct InfoArgs {
  bool json = false;
};

int run_info(const InfoArgs& a) {
  nlohmann::json record = capability_record();
  if (a.json)
    fmt::print("{}\n", record.dump(2));
  else
    fmt::print("{}", format_capability_text(record));
  return std::fflush(stdout) == 0 ? 0 : 1;
}
}  // namespace

Runner add_info(CLI::App& app) {
  auto args = std::make_shared<InfoArgs>();
  CLI::App* sub = app.add_subcommand("info", "Print this machine's capability record");
  sub->add_flag("--json", args->json, "print the record as JSON (as stored with results)");
  return [sub, args]() { return sub->parsed() ? run_info(*args) : -1; };
}

}  // namespace zs::cli
