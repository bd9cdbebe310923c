// Sweep files (format: sweep/sweep_config.h, configs/README.md), parsed
// with toml++ and checked key by key and value by value against this
// machine. A sweep runs overnight, unattended: a typo must fail in the first
// second, as "path:line: key: problem", not at point 40 of 300.
#include "sweep/sweep_config.h"
#include "common/suggest.h"

#include <numa.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include <toml++/toml.h>

#include "platform/platform.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"
#include "common/errors.h"
#include "counters/events.h"
#include "common/parse.h"

namespace zs {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopKeys = {"settings", "axes", "exclude"};
const std::vector<std::string> kSettingsKeys = {
    "repetitions", "warmup",   "seed",        "label",          "cpu",          "node", "metrics",
    "events",      "llc_size", "time_budget", "record_batches", "random_lines", "pool"};
// The order of point_key's components (sweep_expand.cc keeps the same list).
const std::vector<std::string> kAxisKeys = {"backing",   "folio_size", "strategy",
                                            "primitive", "target",     "access",
                                            "cache",     "batch",      "width"};
enum Axis { kBacking, kFolio, kStrategy, kPrimitive, kTarget, kAccess, kCache, kBatch, kWidth };

std::string unknown_name(std::string_view value, const std::vector<std::string>& allowed) {
  auto n = typo_of(value, allowed);
  return n ? fmt::format("unknown '{}'; did you mean '{}'? allowed: {}", value, *n, join_names(allowed))
           : fmt::format("unknown '{}'; allowed: {}", value, join_names(allowed));
}

std::string type_name(const toml::node& n) {
  using T = toml::node_type;
  static const std::pair<T, const char*> kNames[] = {{T::string, "a string"},
                                                     {T::integer, "an integer"},
                                                     {T::floating_point, "a floating-point number"},
                                                     {T::boolean, "a boolean"},
                                                     {T::table, "a table"},
                                                     {T::array, "a list"},
                                                     {T::date, "a date"},
                                                     {T::time, "a time"},
                                                     {T::date_time, "a date-time"}};
  for (auto [t, name] : kNames)
    if (n.type() == t) return name;
  return "nothing";
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::uint64_t base_page() { return static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)); }

// Every check of one file: where it is and how to say what is wrong.
class Checker {
 public:
  explicit Checker(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  [[noreturn]] void fail(int line, std::string_view key, std::string_view problem) const {
    throw SetupError(fmt::format("{}:{}: {}: {}", path_, line, key, problem));
  }

  void only_keys(const toml::table& t, const std::vector<std::string>& allowed,
                 const std::string& prefix) const {
    for (auto&& [k, v] : t) {
      const std::string key(k.str());
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      auto n = typo_of(key, allowed);
      fail(static_cast<int>(k.source().begin.line), prefix + key,
           n ? fmt::format("unknown key; did you mean '{}'?", *n)
             : fmt::format("unknown key; allowed: {}", join_names(allowed)));
    }
  }

  const toml::table* table(const toml::table& parent, const char* key) const {
    const toml::node* n = parent.get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_table())
      fail(line_of(*n), key, fmt::format("expected a table ([{}]), got {}", key, type_name(*n)));
    return n->as_table();
  }

  std::int64_t integer(const toml::node& n, const std::string& key, std::int64_t min,
                       std::int64_t max) const {
    if (!n.is_integer())
      fail(line_of(n), key, fmt::format("expected an integer, got {}", type_name(n)));
    const std::int64_t v = *n.value<std::int64_t>();
    if (v < min) fail(line_of(n), key, fmt::format("must be at least {}, got {}", min, v));
    if (v > max) fail(line_of(n), key, fmt::format("must be at most {}, got {}", max, v));
    return v;
  }

  std::string string(const toml::node& n, const std::string& key) const {
    if (!n.is_string())
      fail(line_of(n), key, fmt::format("expected a string, got {}", type_name(n)));
    return *n.value<std::string>();
  }

 private:
  std::string path_;
};

// One value of an axis, from an [axes] list or an [[exclude]] rule. `what`
// names the list for type errors; `in_exclude` skips what only matters for
// values that will be measured (availability, the "?" mark, bounds).
struct ValueReader {
  const Checker& c;
  std::string key;   // "axes.strategy", "exclude.strategy"
  std::string what;  // "a list of strings"
  bool in_exclude = false;

  [[noreturn]] void wrong_type(const toml::node& n) const {
    c.fail(line_of(n), key, fmt::format("expected {}, got {}", what, type_name(n)));
  }
  std::string str(const toml::node& n) const {
    if (!n.is_string()) wrong_type(n);
    return *n.value<std::string>();
  }
  std::uint64_t uint(const toml::node& n) const {
    if (!n.is_integer()) wrong_type(n);
    const std::int64_t v = *n.value<std::int64_t>();
    if (v < 0) c.fail(line_of(n), key, fmt::format("must be at least 0, got {}", v));
    return static_cast<std::uint64_t>(v);
  }
  [[noreturn]] void fail(const toml::node& n, std::string_view problem) const {
    c.fail(line_of(n), key, problem);
  }
};

Backing read_backing(const ValueReader& r, const toml::node& n) {
  const std::string s = r.str(n);
  auto b = parse_backing(s);
  if (!b) r.fail(n, unknown_name(s, {"thp", "mthp", "hugetlb", "base"}));
  return *b;
}

// A size, optionally marked "?" (measured only where this machine can
// provide it) when `optional` is non-null.
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

std::vector<std::string> strategy_choices() {
  auto v = strategy_names();
  v.emplace_back(kKernelFault);
  return v;
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
  if (n.is_integer()) return TargetSpec{TargetSpec::Kind::page, r.uint(n)};
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

// Pages, or a size converted to pages; 0 is the whole range.
std::uint64_t read_batch(const ValueReader& r, const toml::node& n) {
  if (n.is_integer()) return r.uint(n);
  const std::string s = r.str(n);
  auto bytes = parse_size(s);
  const std::uint64_t page = base_page();
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

std::uint64_t read_width(const ValueReader& r, const toml::node& n) { return r.uint(n); }

// The canonical text of one axis value, as point_key writes it: the
// component of the key of a probe point that carries the value.
std::string canonical(Axis axis, const Point& probe) {
  std::string key = point_key(probe);
  std::vector<std::string> parts;
  std::stringstream in(key);
  for (std::string part; std::getline(in, part, '/');) parts.push_back(part);
  return parts.at(static_cast<std::size_t>(axis));
}

std::string exclude_text(Axis axis, const ValueReader& r, const toml::node& n) {
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
  }
  return canonical(axis, p);
}

std::string value_text(const toml::node& n) {
  if (n.is_string()) return *n.value<std::string>();
  if (n.is_integer()) return std::to_string(*n.value<std::int64_t>());
  return "?";
}

// How each axis is written, for type errors, and its default.
struct AxisInfo {
  const char* list;
  const char* def;
};
const AxisInfo kAxisInfo[] = {
    {"a list of strings", "thp"},
    {"a list of sizes such as \"2MB\"", "2MB"},
    {"a list of strings", "upstream"},
    {"a list of strings", "kernel"},
    {"a list of targets (strings or page numbers)", "first"},
    {"a list of strings", "page"},
    {"a list of strings", "cold"},
    {"a list of page counts or sizes", "0"},
    {"a list of integers", "2"},
};
const char* list_of(Axis axis) { return kAxisInfo[axis].list; }
const char* default_text(Axis axis) { return kAxisInfo[axis].def; }

// Reads one axis into `out` with `read(reader, node) -> T`; a missing axis
// takes its default (line 0).
template <class T, class Read>
void read_axis(const Checker& c, const toml::table* axes, Axis axis, std::vector<AxisValue<T>>& out,
               Read read) {
  const std::string name = kAxisKeys[axis];
  const toml::node* n = axes != nullptr ? axes->get(name) : nullptr;
  ValueReader r{c, "axes." + name, list_of(axis), false};
  if (n == nullptr) {
    const bool number = axis == kBatch || axis == kWidth;
    toml::value<std::string> text(default_text(axis));
    toml::value<std::int64_t> num(axis == kWidth ? std::int64_t(kUpstreamWidth) : 0);
    const toml::node& def = number ? static_cast<const toml::node&>(num) : text;
    out.push_back(AxisValue<T>{read(r, def), 0, default_text(axis)});
    return;
  }
  if (!n->is_array()) r.wrong_type(*n);
  const toml::array& a = *n->as_array();
  if (a.empty())
    c.fail(
        line_of(*n), r.key,
        fmt::format("empty; give at least one value, or leave the key out for the default [{}]",
                    axis == kBatch || axis == kWidth ? std::string(default_text(axis))
                                                     : fmt::format("\"{}\"", default_text(axis))));
  for (const toml::node& e : a) out.push_back(AxisValue<T>{read(r, e), line_of(e), value_text(e)});
}

// ---- settings ---------------------------------------------------------------

std::optional<double> parse_duration(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  const char unit = s.back();
  const double scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : 0;
  auto n = parse_u64(s.substr(0, s.size() - 1));
  if (scale == 0 || !n || *n == 0) return std::nullopt;
  return double(*n) * scale;
}

std::string allowed_cpus(const cpu_set_t& set) {
  std::vector<std::string> out;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (!CPU_ISSET(c, &set)) continue;
    int e = c;
    while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, &set)) ++e;
    out.push_back(e == c ? std::to_string(c) : fmt::format("{}-{}", c, e));
    c = e;
  }
  return join_names(out);
}

// A relative event file is looked up beside the sweep file first, then
// from the working directory.
std::string resolve_events(const Checker& c, const toml::node& n, const std::string& given) {
  fs::path p(given);
  std::error_code ec;
  if (p.is_relative()) {
    fs::path beside = fs::path(c.path()).parent_path() / p;
    if (fs::is_regular_file(beside, ec)) return beside.lexically_normal().string();
  }
  if (fs::is_regular_file(p, ec)) return given;
  c.fail(line_of(n), "settings.events",
         fmt::format("no event file '{}' (relative paths are looked up beside this file, then in "
                     "the working directory); the shipped files are in {}",
                     given, events_dir()));
}

SweepSettings read_settings(const Checker& c, const toml::table* t) {
  SweepSettings s;
  if (t == nullptr) return s;
  c.only_keys(*t, kSettingsKeys, "settings.");
  auto key = [](const char* k) { return std::string("settings.") + k; };
  const std::int64_t kMax = INT64_MAX;
  if (auto* n = t->get("repetitions"))
    s.repetitions = c.integer(*n, key("repetitions"), 1, 1000000);
  if (auto* n = t->get("warmup")) s.warmup = c.integer(*n, key("warmup"), 0, 1000000);
  if (auto* n = t->get("seed")) s.seed = c.integer(*n, key("seed"), 0, kMax);
  if (auto* n = t->get("label")) {
    s.label = c.string(*n, key("label"));
    const bool ok = !s.label.empty() && std::all_of(s.label.begin(), s.label.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
    });
    if (!ok)
      c.fail(line_of(*n), key("label"),
             fmt::format("'{}' cannot be a directory suffix; use letters, digits, '-', '_', '.'",
                         s.label));
  }
  if (auto* n = t->get("cpu")) {
    s.cpu = static_cast<int>(c.integer(*n, key("cpu"), 0, CPU_SETSIZE - 1));
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0 && !CPU_ISSET(*s.cpu, &allowed))
      c.fail(line_of(*n), key("cpu"),
             fmt::format("CPU {} is not one this process may run on; allowed: {}", *s.cpu,
                         allowed_cpus(allowed)));
  }
  if (auto* n = t->get("node")) {
    s.node = static_cast<int>(c.integer(*n, key("node"), 0, 1 << 20));
    if (numa_available() < 0) {
      if (*s.node != 0)
        c.fail(line_of(*n), key("node"),
               fmt::format("node {} requested but this kernel has no NUMA support; use 0 or leave "
                           "node out",
                           *s.node));
    } else if (*s.node > numa_max_node() || numa_node_size64(*s.node, nullptr) <= 0) {
      c.fail(line_of(*n), key("node"),
             fmt::format("node {} does not exist or has no memory; nodes: 0..{}", *s.node,
                         numa_max_node()));
    }
  }
  if (auto* n = t->get("metrics")) {
    const auto& known = known_metrics();
    ValueReader r{c, key("metrics"), "a list of strings", false};
    if (!n->is_array()) r.wrong_type(*n);
    if (n->as_array()->empty())
      c.fail(line_of(*n), r.key,
             "empty; leave the key out to count every metric of the event file");
    for (const toml::node& e : *n->as_array()) {
      std::string m = r.str(e);
      if (std::find(known.begin(), known.end(), m) == known.end())
        r.fail(e, unknown_name(m, known));
      if (std::find(s.metrics.begin(), s.metrics.end(), m) == s.metrics.end())
        s.metrics.push_back(m);
    }
  }
  if (auto* n = t->get("events")) {
    std::string path = resolve_events(c, *n, c.string(*n, key("events")));
    try {
      load_event_file(path);
    } catch (const SetupError& e) {
      c.fail(line_of(*n), key("events"), e.what());
    }
    s.events = path;
  }
  if (auto* n = t->get("llc_size")) {
    std::string text = c.string(*n, key("llc_size"));
    auto v = parse_size(text);
    if (!v || *v == 0)
      c.fail(line_of(*n), key("llc_size"), fmt::format("'{}' is not a size; e.g. \"32MiB\"", text));
    s.llc_size = *v;
  }
  if (auto* n = t->get("time_budget")) {
    std::string text = c.string(*n, key("time_budget"));
    auto v = parse_duration(text);
    if (!v)
      c.fail(line_of(*n), key("time_budget"),
             fmt::format("'{}' is not a duration; give a whole number of s, m or h, e.g. \"90s\", "
                         "\"10m\", \"2h\"",
                         text));
    s.time_budget_s = *v;
  }
  if (auto* n = t->get("record_batches")) {
    if (!n->is_boolean())
      c.fail(line_of(*n), key("record_batches"),
             fmt::format("expected a boolean, got {}", type_name(*n)));
    s.record_batches = *n->value<bool>();
  }
  if (auto* n = t->get("random_lines"))
    s.random_lines = static_cast<std::uint32_t>(c.integer(*n, key("random_lines"), 1, 1 << 24));
  if (auto* n = t->get("pool")) s.pool = c.integer(*n, key("pool"), 0, 1 << 20);
  return s;
}

void read_excludes(const Checker& c, const toml::node* n, SweepConfig& cfg) {
  if (n == nullptr) return;
  const toml::array* a = n->as_array();
  if (a == nullptr || !a->is_array_of_tables())
    c.fail(line_of(*n), "exclude",
           fmt::format("expected [[exclude]] tables, got {}", type_name(*n)));
  for (const toml::node& e : *a) {
    const toml::table& t = *e.as_table();
    c.only_keys(t, kAxisKeys, "exclude.");
    ExcludeRule rule;
    rule.line = line_of(t);
    if (t.empty())
      c.fail(rule.line, "exclude",
             fmt::format("an empty rule would leave out every point; give some of: {}",
                         join_names(kAxisKeys)));
    for (std::size_t i = 0; i < kAxisKeys.size(); ++i) {
      const toml::node* v = t.get(kAxisKeys[i]);
      if (v == nullptr) continue;
      const Axis axis = static_cast<Axis>(i);
      // "a list of sizes ..." -> "a value or a list of sizes ..."
      ValueReader r{c, "exclude." + kAxisKeys[i], std::string("a value or ") + list_of(axis), true};
      std::vector<std::string> values;
      if (v->is_array()) {
        if (v->as_array()->empty()) c.fail(line_of(*v), r.key, "empty; it would match nothing");
        for (const toml::node& x : *v->as_array()) values.push_back(exclude_text(axis, r, x));
      } else {
        values.push_back(exclude_text(axis, r, *v));
      }
      rule.match.emplace_back(kAxisKeys[i], std::move(values));
    }
    cfg.exclude.push_back(std::move(rule));
  }
}

}  // namespace

std::optional<std::string> strategy_problem(const std::string& s) {
  if (!ZeroingStrategy(s).known()) return unknown_name(s, strategy_choices());
  return std::nullopt;
}

std::optional<std::string> primitive_problem(const std::string& s, bool name_only) {
  const PrimitiveRegistry& reg = PrimitiveRegistry::get();
  const Primitive* p = reg.find(s);
  if (p == nullptr) return unknown_name(s, reg.names());
  if (name_only) return std::nullopt;
  if (!p->available)
    return fmt::format("'{}' is not available on this CPU: {}; see 'zeroscope primitives'", s, p->why);
  const std::uint64_t page = base_page();
  if (page % p->granule != 0 || page % p->align != 0)
    return fmt::format("'{}' needs a granule of {} and alignment of {} bytes; the {}-byte page is "
                       "not a multiple of them",
                       s, p->granule, p->align, page);
  return std::nullopt;
}

SweepConfig load_sweep_config(const std::string& path) {
  SweepConfig cfg;
  cfg.path = path;
  Checker c(path);
  {
    std::error_code ec;
    std::ifstream in(path, std::ios::binary);
    if (!in || fs::is_directory(path, ec))
      throw SetupError(
          fmt::format("{}: cannot read the sweep file: {}", path,
                      fs::is_directory(path, ec) ? "a directory" : std::strerror(errno)));
    std::stringstream ss;
    ss << in.rdbuf();
    cfg.text = ss.str();
  }
  toml::table t;
  try {
    t = toml::parse(cfg.text, path);
  } catch (const toml::parse_error& e) {
    c.fail(static_cast<int>(e.source().begin.line), "syntax", e.description());
  }
  c.only_keys(t, kTopKeys, "");
  cfg.settings = read_settings(c, c.table(t, "settings"));
  const toml::table* axes = c.table(t, "axes");
  if (axes != nullptr) c.only_keys(*axes, kAxisKeys, "axes.");

  read_axis(c, axes, kBacking, cfg.backing, read_backing);
  read_axis(c, axes, kFolio, cfg.folio_size, [](const ValueReader& r, const toml::node& n) {
    bool optional = false;
    return read_folio_size(r, n, &optional);
  });
  read_axis(c, axes, kStrategy, cfg.strategy, read_strategy);
  read_axis(c, axes, kPrimitive, cfg.primitive, read_primitive);
  read_axis(c, axes, kTarget, cfg.target, read_target);
  read_axis(c, axes, kAccess, cfg.access, read_access);
  read_axis(c, axes, kCache, cfg.cache, read_cache);
  read_axis(c, axes, kBatch, cfg.batch, read_batch);
  read_axis(c, axes, kWidth, cfg.width, read_width);

  read_excludes(c, t.get("exclude"), cfg);
  check_sweep(cfg);
  return cfg;
}

}  // namespace zs
