// From a sweep file's values to its points: the cartesian product of the
// axes, with every parameter a strategy does not take collapsed to its
// default (so it does not multiply the points), deduplicated, minus the
// excluded points; each point's key and the JSON record of the sweep.
#include <algorithm>
#include <array>
#include <unordered_set>

#include <fmt/format.h>

#include "common/errors.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"
#include "sweep/axes.h"
#include "sweep/kernel_strategy.h"
#include "sweep/point_parameters.h"
#include "sweep/sweep_config.h"

namespace zs {

// Which parameters the point's strategy takes: kernel-fault none (the kernel
// zeroes), a preset (upstream) fixes width and batch itself, a strategy that
// clears nothing (prezeroed) takes no primitive.
Applies applies(const Point& p) {
  if (p.kernel_fault()) return {false, false, false};
  const Strategy* s = p.strategy.plan();
  if (s == nullptr) return {};  // not from a checked file: keep everything
  return {s->clears, s->uses_width && !s->preset, s->uses_batch && !s->preset};
}

namespace {

// Parameters that do not apply take their defaults, so that points that
// differ only in them are the same point.
void normalise(Point& p) {
  const Applies a = applies(p);
  if (!a.primitive) p.primitive = std::string(kKernelAlias);
  if (!a.width) p.width = kUpstreamWidth;
  if (!a.batch) p.batch = 0;
  if (p.cache == CacheState::warm) p.evict = Evict::pool;
}

std::string cache_text(const Point& p) {
  return p.cache == CacheState::warm ? std::string("warm")
                                     : fmt::format("cold:{}", to_string(p.evict));
}

std::array<std::string, sweep_axes::kCount> components(const Point& p) {
  const Applies a = applies(p);
  return {to_string(p.backing),
          std::to_string(p.folio_bytes),
          p.strategy.name(),
          a.primitive ? p.primitive.name() : "-",
          p.target.name(),
          p.access.pattern == AccessPattern::residency  // no op: it only loads
              ? std::string("residency")
              : fmt::format("{}:{}", to_string(p.access.pattern), to_string(p.access.op)),
          cache_text(p),
          a.batch ? fmt::format("b{}", p.batch) : "b-",
          a.width ? fmt::format("w{}", p.width) : "w-",
          to_string(p.memory)};
}

bool matches(const ExcludeRule& r, const std::array<std::string, sweep_axes::kCount>& parts) {
  for (const auto& [axis, values] : r.match) {
    if (std::find(values.begin(), values.end(), parts[axis]) == values.end()) return false;
  }
  return true;
}

nlohmann::json rule_json(const ExcludeRule& r) {
  nlohmann::json m = nlohmann::json::object();
  for (const auto& [axis, values] : r.match) m[sweep_axes::kKeys[axis]] = values;
  nlohmann::json j = {{"line", r.line}, {"match", m}};
  if (!r.reason.empty()) j["reason"] = r.reason;
  return j;
}

template <class T>
nlohmann::json texts(const std::vector<AxisValue<T>>& axis) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& v : axis) j.push_back(v.text);
  return j;
}

}  // namespace

std::vector<Point> expand_sweep(const SweepConfig& c) {
  std::vector<Point> points;
  std::unordered_set<std::string> seen;
  std::string why;
  for (const auto& b : c.backing)
    for (const auto& f : c.folio_size)
      for (const auto& s : c.strategy)
        for (const auto& pr : c.primitive)
          for (const auto& t : c.target)
            for (const auto& a : c.access)
              for (const auto& ca : c.cache)
                for (const auto& ba : c.batch)
                  for (const auto& w : c.width)
                    for (const auto& m : c.memory) {
                      Point p;
                      p.backing = b.value;
                      p.folio_bytes = f.value;
                      p.strategy = s.value;
                      p.primitive = pr.value;
                      // "kernel" becomes this kernel's path for the pair; left
                      // as is when there is none, refused below unless excluded.
                      const KernelZeroing* z = nullptr;
                      if (s.value == kKernelStrategyAlias &&
                          (z = kernel_strategy_entry(b.value, f.value, &why)) != nullptr)
                        apply_kernel_strategy(p, *z);
                      p.target = t.value;
                      p.access = a.value;
                      p.access.random_lines = c.settings.random_lines;
                      p.cache = ca.value.state;
                      p.evict = ca.value.evict;
                      if (z == nullptr) {
                        p.batch = ba.value;
                        p.width = w.value;
                      }
                      p.memory = m.value;
                      normalise(p);
                      if (seen.insert(point_key(p)).second) points.push_back(std::move(p));
                    }

  auto drop = [&](const ExcludeRule& r) {
    std::erase_if(points, [&](const Point& p) { return matches(r, components(p)); });
  };
  for (const ExcludeRule& r : c.unavailable) drop(r);
  for (const ExcludeRule& r : c.exclude) {
    const bool had = !points.empty();
    drop(r);
    if (had && points.empty())
      throw SetupError(fmt::format("{}:{}: exclude: leaves no point to measure", c.path, r.line));
  }
  for (const Point& p : points)
    if (p.strategy == kKernelStrategyAlias) {
      kernel_strategy_entry(p.backing, p.folio_bytes, &why);
      const std::string problem = kernel_strategy_refusal(p.backing, p.folio_bytes, why);
      auto s = std::find_if(c.strategy.begin(), c.strategy.end(),
                            [](const auto& v) { return v.value == kKernelStrategyAlias; });
      if (c.path.empty()) throw SetupError(Option::strategy, problem);
      throw SetupError(fmt::format("{}:{}: axes.strategy: {}", c.path, s->line, problem));
    }
  return points;
}

std::string point_key(const Point& p) {
  const auto parts = components(p);
  std::string key;
  // Memory only where it is not recycled, so that recycled keys stay as they were.
  const std::size_t n =
      p.memory == Memory::recycled ? std::size_t(sweep_axes::kMemory) : sweep_axes::kCount;
  for (std::size_t i = 0; i < n; ++i) key += (key.empty() ? "" : "/") + parts[i];
  return key;
}

nlohmann::json point_to_json(const Point& p) {
  const Applies a = applies(p);
  nlohmann::json j = {
      {"backing", to_string(p.backing)},
      {"folio_size", p.folio_bytes},
      {"strategy", p.strategy.name()},
      {"primitive", a.primitive ? nlohmann::json(p.primitive.name()) : nlohmann::json(nullptr)},
      {"target", p.target.name()},
      {"access", to_string(p.access.pattern)},
      {"op", to_string(p.access.op)},
      {"cache", to_string(p.cache)},
      {"evict",
       p.cache == CacheState::cold ? nlohmann::json(to_string(p.evict)) : nlohmann::json(nullptr)},
      {"batch", a.batch ? nlohmann::json(p.batch) : nlohmann::json(nullptr)},
      {"width", a.width ? nlohmann::json(p.width) : nlohmann::json(nullptr)},
      {"memory", to_string(p.memory)},
      {"key", point_key(p)},
  };
  if (p.access.pattern == AccessPattern::random) j["random_lines"] = p.access.random_lines;
  return j;
}

nlohmann::json sweep_to_json(const SweepConfig& c, const std::vector<Point>& points) {
  const SweepSettings& s = c.settings;
  auto opt = [](const auto& o) { return o ? nlohmann::json(*o) : nlohmann::json(nullptr); };
  nlohmann::json settings = {
      {"repetitions", s.repetitions},
      {"warmup", s.warmup},
      {"seed", s.seed},
      {"label", s.label},
      {"cpu", opt(s.cpu)},
      {"node", opt(s.node)},
      {"metrics", s.metrics},
      {"events", opt(s.events)},
      {"llc_size", opt(s.llc_size)},
      {"time_budget_s", opt(s.time_budget_s)},
      {"record_batches", s.record_batches},
      {"random_lines", s.random_lines},
      {"pool", s.pool},
      {"report_wait_s", s.report_wait_s},
  };
  if (s.shootdown) settings["shootdown"] = true;  // absent when off: older meta.json unchanged
  nlohmann::json axes = {
      {"backing", texts(c.backing)},   {"folio_size", texts(c.folio_size)},
      {"strategy", texts(c.strategy)}, {"primitive", texts(c.primitive)},
      {"target", texts(c.target)},     {"access", texts(c.access)},
      {"cache", texts(c.cache)},       {"batch", texts(c.batch)},
      {"width", texts(c.width)},       {"memory", texts(c.memory)},
  };
  nlohmann::json exclude = nlohmann::json::array(), unavailable = nlohmann::json::array();
  for (const ExcludeRule& r : c.exclude) exclude.push_back(rule_json(r));
  for (const ExcludeRule& r : c.unavailable) unavailable.push_back(rule_json(r));
  nlohmann::json pts = nlohmann::json::array();
  for (const Point& p : points) pts.push_back(point_to_json(p));
  return {{"path", c.path},       {"text", c.text},
          {"settings", settings}, {"axes", axes},
          {"exclude", exclude},   {"unavailable", unavailable},
          {"points", pts},        {"point_count", points.size()}};
}

}  // namespace zs
