// zeroscope trace: print a strategy's plan, one line per clear call and one
// `resched` per preemption point, and nothing else on stdout.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/usage.h"
#include "cli/validators.h"
#include "common/limits.h"
#include "strategies/strategy.h"

namespace zs::cli {

namespace {
struct TraceArgs {
  std::string strategy;
  std::uint64_t pages = 0, target = 0, width = 0, batch = 0, page_size = 0;
  bool given(const char* flag) const { return sub->count(flag) > 0; }
  CLI::App* sub = nullptr;
};

// A page index lies below the largest page count; below N is checked
// once N is known.
constexpr Limit kTargetPage{"target", 0, limits::pages.max - 1, ""};

int run_trace(const TraceArgs& a) {
  if (!a.given("--strategy"))
    throw UsageError(
        fmt::format("--strategy is required; allowed: {}", fmt::join(strategy_names(), ", ")));
  const Strategy* s = find_strategy(a.strategy);  // known: checked by one_of
  if (!a.given("--pages"))
    throw UsageError("--pages is required; allowed: " + allowed(limits::pages));
  if (!a.given("--target")) throw UsageError("--target is required; allowed: an integer in [0, N)");

  StrategyParams p;
  p.nr_pages = a.pages;
  if (a.target >= p.nr_pages)
    throw UsageError(
        fmt::format("--target: {} is out of range; allowed: an integer in [0, {}] (0 "
                    "<= T < N)",
                    a.target, p.nr_pages - 1));
  p.target = a.target;
  p.page_size =
      a.given("--page-size") ? a.page_size : static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));

  auto fixed = [&](const char* flag) {
    return UsageError(fmt::format(
        "{}: not allowed with the preset '{}', which fixes width = {} and batch = {} MiB of "
        "pages; use --strategy three-region to vary them",
        flag, s->name, s->preset_width, s->preset_batch_bytes >> 20));
  };
  // The strategies a parameter applies to, from the registry.
  auto takers = [](bool Strategy::*uses) {
    std::vector<std::string_view> names;
    for (const Strategy& t : strategies())
      if (t.*uses && !t.preset) names.push_back(t.name);
    return fmt::format("{}", fmt::join(names, ", "));
  };
  auto not_for = [&](const char* flag, const std::string& applies) {
    return UsageError(fmt::format("{}: does not apply to strategy '{}'; allowed with: {}", flag,
                                  s->name, applies));
  };
  if (a.given("--width")) {
    if (s->preset) throw fixed("--width");
    if (!s->uses_width) throw not_for("--width", takers(&Strategy::uses_width));
    p.width = a.width;
  }
  if (a.given("--batch")) {
    if (s->preset) throw fixed("--batch");
    if (!s->uses_batch) throw not_for("--batch", takers(&Strategy::uses_batch));
    p.batch = a.batch;
  }

  Plan plan = s->plan(p);
  if (plan.ops.empty())  // said on stderr: stdout holds the plan's lines only
    std::fprintf(stderr, "%s: no clear calls (%s)\n", std::string(s->name).c_str(),
                 std::string(s->description).c_str());
  // Large plans (a 1 GiB folio is 2 x 262144 lines) go through a big buffer.
  static char buf[1 << 16];
  std::setvbuf(stdout, buf, _IOFBF, sizeof buf);
  print_plan(plan, stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
}  // namespace

Runner add_trace(CLI::App& app) {
  auto args = std::make_shared<TraceArgs>();
  CLI::App* sub = app.add_subcommand("trace", "Print a strategy's clearing plan");
  args->sub = sub;
  sub->add_option("--strategy", args->strategy,
                  fmt::format("{}", fmt::join(strategy_names(), " | ")))
      ->check(one_of(strategy_names()));
  sub->add_option("--pages", args->pages, "N: base pages in the folio (>= 1)")
      ->check(within(limits::pages));
  sub->add_option("--target", args->target, "T: faulting page index, 0 <= T < N")
      ->check(within(kTargetPage));
  sub->add_option("--width", args->width,
                  "W: three-region neighbourhood radius in pages (default 2)")
      ->check(within(limits::width));
  sub->add_option("--batch", args->batch, "B: pages per clear call (default: whole range)")
      ->check(within(limits::batch));
  sub->add_option("--page-size", args->page_size,
                  "bytes per base page, for presets sized in bytes (default: this system's)")
      ->check(within(limits::page_size));
  return [sub, args]() { return sub->parsed() ? run_trace(*args) : -1; };
}

}  // namespace zs::cli
