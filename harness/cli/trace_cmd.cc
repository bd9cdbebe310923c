// zeroscope trace: print a strategy's plan, one line per clear call and one
// `resched` per preemption point, and nothing else on stdout.
#include <unistd.h>

#include <cstdio>
#include <memory>

#include <fmt/format.h>

#include "cli/usage.h"
#include "strategies/strategy.h"

namespace zs::cli {

namespace {
struct TraceArgs {
  std::string strategy, pages, target, width, batch, page_size;
};

// 2^40 pages is 4 PiB of 4 KiB pages: far beyond any folio, but small
// enough that every page index fits in the plan's arithmetic.
constexpr std::uint64_t kMaxPages = 1ull << 40;

int run_trace(const TraceArgs& a) {
  if (a.strategy.empty())
    throw UsageError("--strategy is required; allowed: " + join(strategy_names()));
  const Strategy* s = find_strategy(a.strategy);
  if (s == nullptr)
    throw UsageError(fmt::format("--strategy: unknown '{}'; allowed: {}", a.strategy,
                                 join(strategy_names())));
  if (a.pages.empty()) throw UsageError("--pages is required; allowed: an integer >= 1");
  if (a.target.empty()) throw UsageError("--target is required; allowed: an integer in [0, N)");

  StrategyParams p;
  p.nr_pages = flag_u64("--pages", a.pages, 1, kMaxPages, "an integer >= 1");
  p.target = flag_u64("--target", a.target, 0, p.nr_pages - 1,
                      fmt::format("an integer in [0, {}] (0 <= T < N)", p.nr_pages - 1));
  p.page_size = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  if (!a.page_size.empty())
    p.page_size = flag_u64("--page-size", a.page_size, 1, 1ull << 30, "a size in bytes >= 1");

  auto fixed = [&](const char* flag) {
    return UsageError(fmt::format(
        "{}: not allowed with the preset '{}', which fixes width = {} and batch = {} MiB of "
        "pages; use --strategy three-region to vary them",
        flag, s->name, s->preset_width, s->preset_batch_bytes >> 20));
  };
  auto not_for = [&](const char* flag, const char* applies) {
    return UsageError(
        fmt::format("{}: does not apply to strategy '{}'; allowed with: {}", flag, s->name, applies));
  };
  if (!a.width.empty()) {
    if (s->preset) throw fixed("--width");
    if (!s->uses_width) throw not_for("--width", "three-region");
    p.width = flag_u64("--width", a.width, 0, UINT64_MAX, "an integer >= 0");
  }
  if (!a.batch.empty()) {
    if (s->preset) throw fixed("--batch");
    if (!s->uses_batch) throw not_for("--batch", "three-region, extent");
    p.batch = flag_u64("--batch", a.batch, 1, UINT64_MAX, "an integer >= 1 (pages)");
  }

  Plan plan = s->plan(p);
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
  sub->add_option("--strategy", args->strategy, "sequential | left-right | three-region | extent | upstream");
  sub->add_option("--pages", args->pages, "N: base pages in the folio (>= 1)");
  sub->add_option("--target", args->target, "T: faulting page index, 0 <= T < N");
  sub->add_option("--width", args->width, "W: three-region neighbourhood radius in pages (default 2)");
  sub->add_option("--batch", args->batch, "B: pages per clear call (default: whole range)");
  sub->add_option("--page-size", args->page_size, "bytes per base page, for presets sized in bytes (default: this system's)");
  return [sub, args]() { return sub->parsed() ? run_trace(*args) : -1; };
}

}  // namespace zs::cli
