#include "sweep/axis_readers.h"

#include <sstream>

#include "common/limits.h"
#include "common/parse.h"
#include "platform/platform.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"
#include "sweep/kernel_strategy.h"
#include "sweep/machine_checks.h"
#include "sweep/memory_axis.h"

namespace zs::sweep_axes {

namespace {

// A page index lies below the largest page count; batch 0 is the whole range.
constexpr Limit kTargetPage{"target", 0, limits::pages.max - 1, "pages"};
constexpr Limit kBatchOrWhole{limits::batch.name, 0, limits::batch.max, limits::batch.unit};

std::vector<std::string> strategy_choices() {
  auto v = strategy_names();
  v.emplace_back(kKernelFault);
  return v;
}

}  // namespace

std::string ValueReader::str(const toml::node& n) const {
  if (!n.is_string()) wrong_type(n);
  return *n.value<std::string>();
}

std::uint64_t ValueReader::uint(const toml::node& n, const Limit& l) const {
  if (!n.is_integer()) wrong_type(n);
  return c.integer(n, key, l);
}

Backing read_backing(const ValueReader& r, const toml::node& n) {
  const std::string s = r.str(n);
  auto b = parse_backing(s);
  if (!b) r.fail(n, unknown_name(s, {"thp", "mthp", "hugetlb", "base"}));
  return *b;
}

std::uint64_t read_folio_size(const ValueReader& r, const toml::node& n, bool* optional) {
  std::string s = r.str(n);
  if (optional != nullptr && !s.empty() && s.back() == '?') {
    *optional = true;
    s.pop_back();
  }
  auto v = parse_size(s);
  if (!v || *v == 0)
    r.fail(n, fmt::format("'{}' is not a size; e.g. \"2MB\", \"64KiB\", \"1GB\"{}", r.str(n),
                          optional != nullptr ? " (\"1GB?\": only where available)" : ""));
  return *v;
}

std::string read_strategy(const ValueReader& r, const toml::node& n) {
  const std::string s = r.str(n);
  if (auto why = strategy_problem(s)) r.fail(n, *why);
  return s;
}

std::string read_primitive(const ValueReader& r, const toml::node& n) {
  const std::string s = r.str(n);
  if (auto why = primitive_problem(s, r.in_exclude)) r.fail(n, *why);
  return s;
}

TargetSpec read_target(const ValueReader& r, const toml::node& n) {
  if (n.is_integer()) return TargetSpec{TargetSpec::Kind::page, r.uint(n, kTargetPage)};
  auto t = TargetSpec::parse(r.str(n));
  if (!t)
    r.fail(n, fmt::format("'{}' is not a target; allowed: first, middle, last, random, a page "
                          "index, offset:BYTES",
                          r.str(n)));
  return *t;
}

AccessSpec read_access(const ValueReader& r, const toml::node& n) {
  const std::string s = r.str(n);
  const auto colon = s.find(':');
  const std::string pat = s.substr(0, colon);
  AccessSpec a;
  auto p = parse_access_pattern(pat);
  if (!p) {
    std::vector<std::string> names;
    std::stringstream in(access_pattern_names());
    for (std::string w; std::getline(in >> std::ws, w, ',');) names.push_back(w);
    r.fail(n, unknown_name(pat, names));
  }
  a.pattern = *p;
  if (a.pattern == AccessPattern::residency && colon != std::string::npos)
    r.fail(n, fmt::format("'{}': residency takes no op (it only times loads)", s));
  if (colon != std::string::npos) {
    auto op = parse_access_op(s.substr(colon + 1));
    if (!op)
      r.fail(n, fmt::format("unknown op '{}' in '{}'; allowed: read, write (pattern:op)",
                            s.substr(colon + 1), s));
    a.op = *op;
  }
  return a;
}

CacheSpec read_cache(const ValueReader& r, const toml::node& n) {
  const std::string s = r.str(n);
  const auto colon = s.find(':');
  CacheSpec spec;
  auto st = parse_cache_state(s.substr(0, colon));
  if (!st) r.fail(n, unknown_name(s.substr(0, colon), {"cold", "warm"}));
  spec.state = *st;
  if (colon != std::string::npos) {
    if (spec.state == CacheState::warm)
      r.fail(n, fmt::format("'{}': warm takes no eviction method; write \"warm\"", s));
    auto ev = parse_evict(s.substr(colon + 1));
    if (!ev)
      r.fail(n, fmt::format("unknown eviction '{}' in '{}'; allowed: cold:pool, cold:clflush",
                            s.substr(colon + 1), s));
    spec.evict = *ev;
  }
  if (!r.in_exclude && spec.state == CacheState::cold && spec.evict == Evict::clflush &&
      platform::flush_name().empty())
    r.fail(n, fmt::format("'{}': this architecture has no cache flush instruction here; use "
                          "\"cold\" (evict by pool)",
                          s));
  return spec;
}

std::uint64_t read_batch(const ValueReader& r, const toml::node& n) {
  if (n.is_integer()) return r.uint(n, kBatchOrWhole);
  const std::string s = r.str(n);
  auto bytes = parse_size(s);
  const std::uint64_t page = sweep_machine::base_page();
  if (!bytes)
    r.fail(n, fmt::format("'{}' is not a size; give pages as an integer (8) or a size (\"32KiB\"); "
                          "0 is the whole range",
                          s));
  if (*bytes == 0 || *bytes % page != 0)
    r.fail(n, fmt::format("'{}' is not a whole number of {}-byte pages; give pages as an integer "
                          "(0 is the whole range) or a multiple of the page",
                          s, page));
  return *bytes / page;
}

std::uint64_t read_width(const ValueReader& r, const toml::node& n) {
  return r.uint(n, limits::width);
}

std::string canonical_text(Axis axis, const ValueReader& r, const toml::node& n) {
  Point p;
  p.strategy = "three-region";  // uses every parameter, so none reads "-"
  switch (axis) {
    case kBacking:
      p.backing = read_backing(r, n);
      break;
    case kFolio:
      p.folio_bytes = read_folio_size(r, n, nullptr);
      break;
    case kStrategy:
      p.strategy = read_strategy(r, n);
      break;
    case kPrimitive:
      p.primitive = read_primitive(r, n);
      break;
    case kTarget:
      p.target = read_target(r, n);
      break;
    case kAccess:
      p.access = read_access(r, n);
      break;
    case kCache: {
      CacheSpec cs = read_cache(r, n);
      p.cache = cs.state;
      p.evict = cs.evict;
      break;
    }
    case kBatch:
      p.batch = read_batch(r, n);
      break;
    case kWidth:
      p.width = read_width(r, n);
      break;
    case kMemory:  // not in a recycled point's key: its own text
      return to_string(read_memory(r, n, nullptr));
  }
  // The component of the probe point's key that carries the value.
  std::vector<std::string> parts;
  std::stringstream in(point_key(p));
  for (std::string part; std::getline(in, part, '/');) parts.push_back(part);
  return parts.at(static_cast<std::size_t>(axis));
}

std::string value_text(const toml::node& n) {
  if (n.is_string()) return *n.value<std::string>();
  if (n.is_integer()) return std::to_string(*n.value<std::int64_t>());
  return "?";
}

}  // namespace zs::sweep_axes

namespace zs {

std::optional<std::string> strategy_problem(const std::string& s) {
  if (s != kKernelStrategyAlias && !ZeroingStrategy(s).known())
    return unknown_name(s, sweep_axes::strategy_choices());
  return std::nullopt;
}

std::optional<std::string> primitive_problem(const std::string& s, bool name_only) {
  const PrimitiveRegistry& reg = PrimitiveRegistry::get();
  const Primitive* p = reg.find(s);
  if (p == nullptr) return unknown_name(s, reg.names());
  if (name_only) return std::nullopt;
  if (!p->available)
    return fmt::format("'{}' is not available on this CPU: {}; see 'zeroscope primitives'", s,
                       p->why);
  const std::uint64_t page = sweep_machine::base_page();
  if (page % p->granule != 0 || page % p->align != 0)
    return fmt::format(
        "'{}' needs a granule of {} and alignment of {} bytes; the {}-byte page is "
        "not a multiple of them",
        s, p->granule, p->align, page);
  return std::nullopt;
}

}  // namespace zs
