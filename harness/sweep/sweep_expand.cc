// From a sweep file's values to its points: the cartesian product of the
// axes, with every parameter a strategy does not take collapsed to its
// default (so it does not multiply the points), deduplicated, minus the
// excluded points; the checks only the points can answer (can this machine
// provide each backing and size, is each target inside its folio); each
// point's key and the JSON record of the sweep.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <random>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "primitives/registry.h"
#include "strategies/strategy.h"
#include "common/errors.h"
#include "memory/hugetlb_pool.h"
#include "common/suggest.h"
#include "sweep/sweep_config.h"

namespace zs {

namespace {

// point_key's components, in the axes' order (sweep_config.cc keeps the
// same list for the file's keys).
const std::array<const char*, 9> kAxisKeys = {"backing",   "folio_size", "strategy",
                                              "primitive", "target",     "access",
                                              "cache",     "batch",      "width"};

struct Applies {
  bool primitive = true, width = true, batch = true;
};

// Which parameters the point's strategy takes: kernel-fault none (the kernel
// zeroes), a preset (upstream) fixes width and batch itself.
Applies applies(const Point& p) {
  if (p.kernel_fault()) return {false, false, false};
  const Strategy* s = p.strategy.plan();
  if (s == nullptr) return {};  // not from a checked file: keep everything
  return {true, s->uses_width && !s->preset, s->uses_batch && !s->preset};
}

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

std::array<std::string, 9> components(const Point& p) {
  const Applies a = applies(p);
  return {to_string(p.backing),
          std::to_string(p.folio_bytes),
          p.strategy.name(),
          a.primitive ? p.primitive.name() : "-",
          p.target.name(),
          fmt::format("{}:{}", to_string(p.access.pattern), to_string(p.access.op)),
          cache_text(p),
          a.batch ? fmt::format("b{}", p.batch) : "b-",
          a.width ? fmt::format("w{}", p.width) : "w-"};
}

bool matches(const ExcludeRule& r, const std::array<std::string, 9>& parts) {
  for (const auto& [key, values] : r.match) {
    std::size_t i = 0;
    while (i < kAxisKeys.size() && key != kAxisKeys[i]) ++i;
    if (i == kAxisKeys.size()) return false;
    if (std::find(values.begin(), values.end(), parts[i]) == values.end()) return false;
  }
  return true;
}

nlohmann::json rule_json(const ExcludeRule& r) {
  nlohmann::json m = nlohmann::json::object();
  for (const auto& [key, values] : r.match) m[key] = values;
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

// ---- checks that need the points ---------------------------------------------

std::uint64_t base_page() { return static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)); }


// "axes.width" -> Option::width, for a sweep built from flags.
Option axis_option(std::string_view key) {
  static constexpr std::pair<std::string_view, Option> kAxes[] = {
      {"axes.backing", Option::backing},     {"axes.folio_size", Option::folio_size},
      {"axes.strategy", Option::strategy},   {"axes.primitive", Option::primitive},
      {"axes.target", Option::target},       {"axes.access", Option::access},
      {"axes.cache", Option::cache},         {"axes.batch", Option::batch},
      {"axes.width", Option::width}};
  for (const auto& [k, o] : kAxes)
    if (k == key) return o;
  return Option::none;
}

[[noreturn]] void fail(const SweepConfig& cfg, int line, std::string_view key,
                       std::string_view problem) {
  if (cfg.path.empty()) throw SetupError(axis_option(key), std::string(problem));
  throw SetupError(fmt::format("{}:{}: {}: {}", cfg.path, line, key, problem));
}

// The first value of an axis the file gave other than the default, if any.
template <class T, class Def>
const AxisValue<T>* given_other(const std::vector<AxisValue<T>>& axis, const Def& def) {
  for (const auto& v : axis)
    if (v.line != 0 && v.value != def) return &v;
  return nullptr;
}

// Batch and width beyond the largest folio of the sweep cannot mean
// anything; a parameter given but used by no strategy of the sweep would be
// silently dropped, which is a mistake in the file, not a choice.
void check_parameters(const SweepConfig& cfg) {
  std::uint64_t max_pages = 0;
  for (const auto& f : cfg.folio_size) max_pages = std::max(max_pages, f.value / base_page());
  const std::string largest = fmt::format("the largest folio of this sweep ({} = {} pages)",
                                          size_name(max_pages * base_page()), max_pages);
  for (const auto& b : cfg.batch)
    if (b.value > max_pages)
      fail(cfg, b.line, "axes.batch",
           fmt::format("'{}' is {} pages, more than {}; 0 is the whole folio", b.text, b.value,
                       largest));
  for (const auto& w : cfg.width)
    if (w.value > max_pages)
      fail(cfg, w.line, "axes.width", fmt::format("{} pages is more than {}", w.value, largest));

  bool width = false, batch = false, primitive = false;
  std::vector<std::string> width_users, batch_users;
  for (const Strategy& s : strategies()) {
    if (s.uses_width && !s.preset) width_users.emplace_back(s.name);
    if (s.uses_batch && !s.preset) batch_users.emplace_back(s.name);
  }
  for (const auto& s : cfg.strategy) {
    Point p;
    p.strategy = s.value;
    const Applies a = applies(p);
    primitive = primitive || a.primitive;
    width = width || a.width;
    batch = batch || a.batch;
  }
  if (auto* v = given_other(cfg.width, kUpstreamWidth); v && !width)
    fail(cfg, v->line, "axes.width",
         fmt::format(
             "no strategy of this sweep uses width (strategies that do: {}); leave width out",
             join_names(width_users)));
  if (auto* v = given_other(cfg.batch, 0u); v && !batch)
    fail(cfg, v->line, "axes.batch",
         fmt::format(
             "no strategy of this sweep uses batch (strategies that do: {}); leave batch out",
             join_names(batch_users)));
  if (auto* v = given_other(cfg.primitive, kKernelAlias); v && !primitive)
    fail(cfg, v->line, "axes.primitive",
         "only kernel-fault is swept and it has no primitive (the kernel zeroes); leave primitive "
         "out");
}

// Why an optional ("?") size is not measured here, or nullopt: it must be
// usable as the machine is set up now (an mTHP size enabled), and a hugetlb
// size also needs pages in its pool: x86 kernels offer a 1 GiB pool on every
// CPU with gbpages, empty unless pages were reserved at boot (hugepagesz=1G
// hugepages=N), and a run cannot reliably reserve 1 GiB pages later.
std::optional<std::string> optional_unavailable(Backing b, std::uint64_t bytes) {
  if (auto why = backing_unusable(b, bytes, PoolOptions{})) return why;
  if (b == Backing::hugetlb) {
    auto pool = hugetlb_pool(bytes);
    if (pool && pool->nr == 0)
      return fmt::format(
          "hugetlb: the {} pool has no pages (nr_hugepages is 0); reserve them at boot "
          "(hugepagesz={} hugepages=N) to measure it",
          size_name(bytes),
          bytes >= (1u << 30) ? fmt::format("{}G", bytes >> 30) : fmt::format("{}M", bytes >> 20));
  }
  return std::nullopt;
}

// Sizes marked "?" that a backing cannot provide here become rules that
// leave those points out, with the reason, for the record.
void mark_unavailable(SweepConfig& cfg) {
  for (const auto& b : cfg.backing)
    for (const auto& f : cfg.folio_size) {
      if (f.text.empty() || f.text.back() != '?') continue;
      auto why = optional_unavailable(b.value, f.value);
      if (!why) continue;
      ExcludeRule r;
      r.line = f.line;
      r.match = {{"backing", {to_string(b.value)}}, {"folio_size", {std::to_string(f.value)}}};
      r.reason = fmt::format("{} {}: {}", to_string(b.value), f.text, *why);
      cfg.unavailable.push_back(std::move(r));
    }
  if (cfg.unavailable.size() == cfg.backing.size() * cfg.folio_size.size())
    fail(cfg, cfg.folio_size.front().line, "axes.folio_size",
         fmt::format("no folio size of this sweep is available here: {}",
                     cfg.unavailable.front().reason));
}

// What only the expanded points can tell: every (backing, size) pair that
// is measured can be provided here, every target lies inside its folio.
void check_points(const SweepConfig& cfg, const std::vector<Point>& points) {
  std::set<std::pair<Backing, std::uint64_t>> pairs;
  std::set<std::pair<std::uint64_t, std::string>> targets;
  const std::uint64_t page = base_page();
  for (const Point& p : points) {
    // What `zeroscope run` can still change is left to it, as for a short
    // hugetlb pool: an mTHP size that exists but is not enabled is enabled
    // by --enable-mthp (or refused, with the command, before measuring).
    if (pairs.insert({p.backing, p.folio_bytes}).second) {
      if (auto why = backing_unusable(p.backing, p.folio_bytes, PoolOptions{false, true})) {
        auto f = std::find_if(cfg.folio_size.begin(), cfg.folio_size.end(),
                              [&](const auto& v) { return v.value == p.folio_bytes; });
        auto b = std::find_if(cfg.backing.begin(), cfg.backing.end(),
                              [&](const auto& v) { return v.value == p.backing; });
        // What a machine may lack (unlike THP at a size other than the PMD's).
        // (A file can say so; flags cannot.)
        const bool machine =
            (p.backing == Backing::hugetlb || p.backing == Backing::mthp) && !cfg.path.empty();
        const std::string hint =
            machine ? fmt::format("; write \"{}?\" to measure it only where available", f->text)
                    : "";
        if (f->line != 0)
          fail(
              cfg, f->line, "axes.folio_size",
              fmt::format("'{}' with backing {}: {}{}", f->text, to_string(p.backing), *why, hint));
        fail(cfg, b->line, "axes.backing",
             fmt::format("'{}' with the default folio size {}: {}", b->text, f->text, *why));
      }
    }
    const std::string name = p.target.name();
    if (targets.insert({p.folio_bytes, name}).second) {
      std::mt19937_64 probe(0);
      const std::uint64_t pages = p.folio_bytes / page;
      if (!resolve_target(p.target, pages, page, probe)) {
        auto t = std::find_if(cfg.target.begin(), cfg.target.end(),
                              [&](const auto& v) { return v.value.name() == name; });
        fail(cfg, t->line, "axes.target",
             p.target.kind == TargetSpec::Kind::page
                 ? fmt::format("page {} lies outside the {} folio ({} pages)", p.target.value,
                               size_name(p.folio_bytes), pages)
                 : fmt::format("'{}' lies outside the {} folio ({} bytes)", t->text,
                               size_name(p.folio_bytes), p.folio_bytes));
      }
    }
  }
}

}  // namespace

void check_sweep(SweepConfig& cfg) {
  check_parameters(cfg);
  mark_unavailable(cfg);
  check_points(cfg, expand_sweep(cfg));
}

std::vector<Point> expand_sweep(const SweepConfig& c) {
  std::vector<Point> points;
  std::unordered_set<std::string> seen;
  for (const auto& b : c.backing)
    for (const auto& f : c.folio_size)
      for (const auto& s : c.strategy)
        for (const auto& pr : c.primitive)
          for (const auto& t : c.target)
            for (const auto& a : c.access)
              for (const auto& ca : c.cache)
                for (const auto& ba : c.batch)
                  for (const auto& w : c.width) {
                    Point p;
                    p.backing = b.value;
                    p.folio_bytes = f.value;
                    p.strategy = s.value;
                    p.primitive = pr.value;
                    p.target = t.value;
                    p.access = a.value;
                    p.access.random_lines = c.settings.random_lines;
                    p.cache = ca.value.state;
                    p.evict = ca.value.evict;
                    p.batch = ba.value;
                    p.width = w.value;
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
  return points;
}

std::string point_key(const Point& p) {
  const auto parts = components(p);
  std::string key;
  for (const auto& part : parts) key += (key.empty() ? "" : "/") + part;
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
  };
  nlohmann::json axes = {
      {"backing", texts(c.backing)},   {"folio_size", texts(c.folio_size)},
      {"strategy", texts(c.strategy)}, {"primitive", texts(c.primitive)},
      {"target", texts(c.target)},     {"access", texts(c.access)},
      {"cache", texts(c.cache)},       {"batch", texts(c.batch)},
      {"width", texts(c.width)},
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
