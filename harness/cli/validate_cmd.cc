// zeroscope validate: known-answer checks of every resolved event here.
#include <memory>

#include <fmt/format.h>

#include "cli/usage.h"
#include "cli/validators.h"
#include "common/parse.h"
#include "counters/event_selection.h"
#include "counters/validate.h"
#include "machine/placement.h"
#include "memory/cache_state.h"

namespace zs::cli {

namespace {
struct ValidateArgs {
  std::string events, llc_size;
};

int run_validate(const ValidateArgs& a) {
  SelectedEvents ev =
      select_events(a.events.empty() ? std::nullopt : std::optional<std::string>(a.events));
  PmuAccess access = probe_pmu_access();
  apply_placement(std::nullopt, std::nullopt);
  // Given: a size, checked by byte_size().
  const std::optional<std::uint64_t> llc_cfg =
      a.llc_size.empty() ? std::nullopt : parse_size(a.llc_size);
  LlcInfo llc = detect_llc(llc_cfg, llc_cfg.has_value());
  fmt::print("# zeroscope validate: {} event file ({}); LLC {} MiB ({})\n", ev.file.uarch, ev.why,
             llc.bytes >> 20, llc.source);
  if (!access.hardware)
    fmt::print(
        "# {}: hardware metrics cannot be validated on this machine; software events are checked\n",
        access.hardware_why);
  fmt::print("{:<18} {:<12} {:>14} {:>14}  {}\n", "metric", "verdict", "expected", "measured",
             "check / note");
  auto num = [](const std::optional<double>& v) {
    return v ? fmt::format("{:.0f}", *v) : std::string("-");
  };
  for (const Validation& v : validate_events(ev.file, access, llc.bytes))
    fmt::print("{:<18} {:<12} {:>14} {:>14}  {}: {}\n", v.metric, v.verdict, num(v.expected),
               num(v.measured), v.check, v.note);
  return 0;
}
}  // namespace

Runner add_validate(CLI::App& app) {
  auto a = std::make_shared<ValidateArgs>();
  CLI::App* sub =
      app.add_subcommand("validate", "Known-answer checks of the events resolved on this machine");
  sub->add_option("--events", a->events, "event file (default: the one for this CPU)");
  sub->add_option("--llc-size", a->llc_size,
                  "last-level cache size, overriding sysfs and the CPU's cache descriptors")
      ->check(byte_size("32MiB"));
  return [sub, a]() { return sub->parsed() ? run_validate(*a) : -1; };
}

}  // namespace zs::cli
