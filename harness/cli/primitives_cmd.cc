// zeroscope primitives / strategies: what this binary can run on this CPU.
#include <memory>

#include <fmt/format.h>

#include "cli/strategy_aliases.h"
#include "cli/usage.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"

namespace zs::cli {

namespace {
int run_primitives() {
  const auto& reg = PrimitiveRegistry::get();
  fmt::print("zeroing primitives for {} on this CPU\n\n", arch_name());
  fmt::print("{:<8} {:<9} {:>5} {:>7}  {}\n", "name", "available", "align", "granule",
             "what / why");
  for (const Primitive& p : reg.all()) {
    fmt::print("{:<8} {:<9} {:>5} {:>7}  {}\n", p.name(), p.available ? "yes" : "no", p.align,
               p.granule, p.info->description);
    fmt::print("{:<8} {:<9} {:>5} {:>7}  {}{}\n", "", "", "", "",
               p.available ? "" : "unavailable: ", p.why);
  }
  fmt::print("\nkernel   -> {}: {}\n", reg.kernel().name(), reg.kernel_why());
  return 0;
}

int run_strategies() {
  for (const Strategy& s : strategies()) {
    std::string params = s.preset                         ? "fixed"
                         : (s.uses_width && s.uses_batch) ? "--width --batch"
                         : s.uses_batch                   ? "--batch"
                                                          : "-";
    fmt::print("{:<13} {:<16} {}\n", s.name, params, s.description);
  }
  print_strategy_aliases();
  return 0;
}
}  // namespace

Runner add_primitives(CLI::App& app) {
  CLI::App* sub =
      app.add_subcommand("primitives", "List the zeroing primitives and their availability here");
  return [sub]() { return sub->parsed() ? run_primitives() : -1; };
}

Runner add_strategies(CLI::App& app) {
  CLI::App* sub =
      app.add_subcommand("strategies", "List the clearing strategies and their parameters");
  return [sub]() { return sub->parsed() ? run_strategies() : -1; };
}

}  // namespace zs::cli
