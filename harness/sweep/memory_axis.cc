#include "sweep/memory_axis.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/errors.h"
#include "machine/sysfs.h"
#include "measure/experiment.h"
#include "measure/host_reported.h"
#include "sweep/machine_checks.h"

namespace zs {

namespace sweep_axes {

Memory read_memory(const ValueReader& r, const toml::node& n, bool* optional) {
  std::string s = r.str(n);
  if (optional != nullptr && !s.empty() && s.back() == '?') {
    *optional = true;
    s.pop_back();
  }
  auto m = parse_memory(s);
  if (!m)
    r.fail(n, fmt::format("{}{}", unknown_name(s, {"recycled", "host-reported"}),
                          optional != nullptr ? " (\"host-reported?\": only where reported)" : ""));
  return *m;
}

}  // namespace sweep_axes

namespace {

[[noreturn]] void fail(const SweepConfig& cfg, int line, const std::string& problem) {
  if (cfg.path.empty()) throw SetupError(Option::memory, problem);
  throw SetupError(fmt::format("{}:{}: axes.memory: {}", cfg.path, line, problem));
}

bool host_reported(const AxisValue<Memory>& v) { return v.value == Memory::host_reported; }

}  // namespace

const FreePageReporting& machine_reporting() {
  static const FreePageReporting fpr = read_kernel_facts().free_page_reporting;
  return fpr;
}

std::optional<std::string> reporting_problem(const FreePageReporting& fpr) {
  if (!fpr.active) return fmt::format("free page reporting is not active here ({})", fpr.source);
  if (!fpr.order)
    return fmt::format("free page reporting is active but its order is unknown ({})", fpr.source);
  return std::nullopt;
}

void check_memory(SweepConfig& cfg, const FreePageReporting& fpr) {
  auto why = reporting_problem(fpr);
  if (!why) return;
  std::size_t left_out = 0;
  for (const auto& v : cfg.memory) {
    if (!host_reported(v)) continue;
    if (v.text.empty() || v.text.back() != '?')
      fail(cfg, v.line,
           fmt::format("'{}': {}: the host never discards this guest's free memory; run in a VM "
                       "whose virtio-balloon device offers free page reporting{}",
                       v.text, *why,
                       cfg.path.empty() ? ""
                                        : ", or write \"host-reported?\" to measure it only "
                                          "where reported"));
    ExcludeRule r;
    r.line = v.line;
    r.match = {{sweep_axes::kMemory, {to_string(Memory::host_reported)}}};
    r.reason = fmt::format("memory {}: {}", v.text, *why);
    cfg.unavailable.push_back(std::move(r));
    ++left_out;
  }
  if (left_out != 0 && left_out == cfg.memory.size())
    fail(cfg, cfg.memory.front().line,
         fmt::format("no memory of this sweep can be measured here: {}", *why));
}

void check_memory_points(const SweepConfig& cfg, const std::vector<Point>& points) {
  for (const Point& p : points)
    if (p.memory == Memory::host_reported && p.backing == Backing::hugetlb) {
      auto v = std::find_if(cfg.memory.begin(), cfg.memory.end(), host_reported);
      fail(cfg, v == cfg.memory.end() ? 0 : v->line,
           fmt::format("'host-reported' with backing hugetlb: a freed hugetlb page returns to its "
                       "pool, not to the page allocator, and is never reported; use backing thp, "
                       "mthp or base{}",
                       cfg.path.empty() ? "" : ", or exclude the pair"));
    }
}

std::size_t host_reported_pool_min(const std::vector<Point>& points, Backing backing,
                                   std::uint64_t folio_bytes) {
  const bool any = std::any_of(points.begin(), points.end(), [&](const Point& p) {
    return p.memory == Memory::host_reported && p.backing == backing &&
           p.folio_bytes == folio_bytes;
  });
  if (!any || !machine_reporting().order) return 0;
  // The per-CPU lists' limit now, and room for it to grow a little.
  const std::uint64_t pcp = max_pcp_high(sysfs::read("/proc/zoneinfo").value_or(""));
  return folios_to_give_back(folio_bytes, sweep_machine::base_page(), *machine_reporting().order,
                             SIZE_MAX, kReportBlocks, pcp * 2) +
         1;
}

void arm_host_reported(PointRunner& runner, const SweepSettings& settings) {
  if (runner.point().memory != Memory::host_reported) return;
  const FreePageReporting& fpr = machine_reporting();
  if (auto why = reporting_problem(fpr)) throw SetupError(Option::memory, *why);
  runner.set_host_reporting(*fpr.order, settings.report_wait_s);
}

double host_reported_wait_seconds(const std::vector<Point>& points, const SweepSettings& s) {
  const auto n = std::count_if(points.begin(), points.end(),
                               [](const Point& p) { return p.memory == Memory::host_reported; });
  return double(n) * double(s.repetitions + s.warmup) * s.report_wait_s;
}

nlohmann::json memory_meta(const std::vector<Point>& points, const SweepSettings& s,
                           const FreePageReporting& fpr) {
  const auto n = std::count_if(points.begin(), points.end(),
                               [](const Point& p) { return p.memory == Memory::host_reported; });
  return {{"host_reported_points", n},
          {"report_wait_s", s.report_wait_s},
          {"blocks_given_back", kReportBlocks},
          {"free_page_reporting",
           {{"active", fpr.active},
            {"order", fpr.order ? nlohmann::json(*fpr.order) : nlohmann::json(nullptr)},
            {"source", fpr.source}}}};
}

}  // namespace zs
