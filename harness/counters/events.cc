// Event files: configs/events/<uarch>.toml, parsed with toml++ and checked
// key by key so that a mistake is reported as "path:line: key: problem"
// before anything is measured. The [[match]] rules in the same files choose
// the file for a CPU: which CPU a file describes is data, not code.
#include "counters/events.h"
#include "common/suggest.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include <toml++/toml.h>

#include "common/errors.h"
#include "common/data_dir.h"

namespace zs {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopKeys = {"uarch", "description", "provenance", "match", "metric"};
const std::vector<std::string> kMatchKeys = {"name",   "vendor",      "family",
                                             "models", "implementer", "parts"};
const std::vector<std::string> kMetricKeys = {
    "metric", "pfm", "raw", "provenance", "meaning", "counts", "scope", "unit", "privilege_filter"};
const std::vector<std::string> kRawKeys = {"pmu", "event", "config", "config1", "config2"};
const std::vector<std::string> kCounts = {"all",       "demand-loads", "rfo",    "prefetch",
                                          "loads+rfo", "stores",       "cycles", "instructions",
                                          "software",  "energy"};
const std::vector<std::string> kScopes = {"core", "uncore", "software", "energy"};
const std::vector<std::string> kUnits = {"count", "ns", "joules"};

const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

// A match rule: x86 (vendor, family, optional model ranges) or arm64
// (implementer, optional parts).
struct MatchRule {
  std::string name, vendor;
  std::optional<unsigned> family, implementer;
  std::vector<std::pair<unsigned, unsigned>> models;
  std::vector<unsigned> parts;
  int line = 0;
};

struct ParsedFile {
  EventFile file;
  std::vector<MatchRule> rules;
};

// Reads one table with a fixed key set; every getter reports
// "path:line: key: problem".
class Reader {
 public:
  Reader(const std::string& path, const toml::table& t, const std::vector<std::string>& allowed,
         std::string what)
      : path_(path), t_(t), what_(std::move(what)) {
    for (auto&& [k, v] : t) {
      std::string key(k.str());
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
        fail(static_cast<int>(k.source().begin.line), key,
             fmt::format("unknown key in {}; did you mean '{}'? (allowed: {})", what_,
                         closest_name(key, allowed), join_names(allowed)));
    }
  }

  [[noreturn]] void fail(int line, std::string_view key, std::string_view problem) const {
    throw SetupError(fmt::format("{}:{}: {}: {}", path_, line, key, problem));
  }
  int line() const { return line_of(t_); }
  const toml::node* node(const char* key) const { return t_.get(key); }

  std::optional<std::string> opt_string(const char* key) const {
    const toml::node* n = t_.get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string())
      fail(line_of(*n), key, fmt::format("expected a string, got {}", type_name(*n)));
    return n->value<std::string>();
  }
  std::string string(const char* key, bool nonempty = true) const {
    auto s = opt_string(key);
    if (!s) missing(key);
    if (nonempty && s->find_first_not_of(" \t") == std::string::npos)
      fail(line_of(*t_.get(key)), key, "must not be empty");
    return *s;
  }
  std::string choice(const char* key, const std::vector<std::string>& allowed) const {
    std::string s = string(key);
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
      fail(line_of(*t_.get(key)), key,
           fmt::format("'{}' is not allowed; did you mean '{}'? (allowed: {})", s,
                       closest_name(s, allowed), join_names(allowed)));
    return s;
  }
  std::optional<std::uint64_t> opt_uint(const char* key) const {
    const toml::node* n = t_.get(key);
    if (n == nullptr) return std::nullopt;
    return to_uint(*n, key);
  }
  std::uint64_t to_uint(const toml::node& n, const char* key) const {
    if (!n.is_integer())
      fail(line_of(n), key, fmt::format("expected an integer, got {}", type_name(n)));
    std::int64_t v = *n.value<std::int64_t>();
    if (v < 0) fail(line_of(n), key, fmt::format("expected an integer >= 0, got {}", v));
    return static_cast<std::uint64_t>(v);
  }
  bool boolean(const char* key) const {
    const toml::node* n = t_.get(key);
    if (n == nullptr) missing(key);
    if (!n->is_boolean())
      fail(line_of(*n), key, fmt::format("expected a boolean, got {}", type_name(*n)));
    return *n->value<bool>();
  }
  const toml::array* opt_array(const char* key) const {
    const toml::node* n = t_.get(key);
    if (n == nullptr) return nullptr;
    if (!n->is_array())
      fail(line_of(*n), key, fmt::format("expected an array, got {}", type_name(*n)));
    return n->as_array();
  }
  [[noreturn]] void missing(const char* key) const {
    fail(line(), key, fmt::format("missing; required in {}", what_));
  }

 private:
  const std::string& path_;
  const toml::table& t_;
  std::string what_;
};

RawEvent read_raw(const std::string& path, const toml::node& n) {
  if (!n.is_table())
    throw SetupError(
        fmt::format("{}:{}: raw: expected a table, got {}", path, line_of(n), type_name(n)));
  Reader r(path, *n.as_table(), kRawKeys, "raw = { ... }");
  RawEvent raw;
  if (!r.node("config")) r.missing("config");
  raw.config = *r.opt_uint("config");
  raw.config1 = r.opt_uint("config1").value_or(0);
  raw.config2 = r.opt_uint("config2").value_or(0);
  raw.pmu = r.opt_string("pmu").value_or("");
  raw.event = r.opt_string("event").value_or("");
  if (!raw.event.empty() && raw.pmu.empty())
    r.fail(line_of(*r.node("event")), "event", "a sysfs event needs pmu = \"<name>\" beside it");
  return raw;
}

MetricDef read_metric(const std::string& path, const toml::table& t) {
  Reader r(path, t, kMetricKeys, "[[metric]]");
  MetricDef m;
  m.line = r.line();
  m.metric = r.string("metric");
  const auto& known = known_metrics();
  if (std::find(known.begin(), known.end(), m.metric) == known.end())
    r.fail(line_of(*t.get("metric")), "metric",
           fmt::format("unknown metric '{}'; did you mean '{}'? (known: {})", m.metric,
                       closest_name(m.metric, known), join_names(known)));
  m.pfm = r.opt_string("pfm").value_or("");
  if (const toml::node* n = r.node("raw")) m.raw = read_raw(path, *n);
  if (m.pfm.empty() && !m.raw)
    r.fail(m.line, "pfm", "missing; give pfm = \"pmu::EVENT\", raw = { ... }, or both");
  if (!m.pfm.empty() && m.pfm.find("::") == std::string::npos)
    r.fail(
        line_of(*t.get("pfm")), "pfm",
        fmt::format("'{}' has no PMU prefix; name the libpfm4 table explicitly (e.g. 'perf::{}')",
                    m.pfm, m.pfm));
  m.provenance = r.string("provenance");
  m.meaning = r.string("meaning");
  m.counts = r.choice("counts", kCounts);
  m.scope = r.choice("scope", kScopes);
  m.privilege_filter = r.boolean("privilege_filter");
  if (r.node("unit")) m.unit = r.choice("unit", kUnits);
  // Cross-checks that keep a declared meaning self-consistent.
  if ((m.scope == "energy") != (m.counts == "energy"))
    r.fail(line_of(*t.get("scope")), "scope",
           "scope = \"energy\" goes with counts = \"energy\" and only with it");
  if (m.scope == "energy" && (m.unit != "joules" || m.privilege_filter))
    r.fail(line_of(*t.get("scope")), "scope",
           "an energy metric needs unit = \"joules\" and privilege_filter = false");
  if ((m.scope == "software") != (m.counts == "software"))
    r.fail(line_of(*t.get("scope")), "scope",
           "scope = \"software\" goes with counts = \"software\" and only with it");
  return m;
}

MatchRule read_match(const std::string& path, const toml::table& t) {
  Reader r(path, t, kMatchKeys, "[[match]]");
  MatchRule rule;
  rule.line = r.line();
  rule.name = r.string("name");
  rule.vendor = r.opt_string("vendor").value_or("");
  if (auto f = r.opt_uint("family")) rule.family = static_cast<unsigned>(*f);
  if (auto i = r.opt_uint("implementer")) rule.implementer = static_cast<unsigned>(*i);
  bool x86 = !rule.vendor.empty() || rule.family, arm = rule.implementer.has_value();
  if (x86 == arm)
    r.fail(rule.line, "match",
           "a rule is either x86 (vendor + family [+ models]) or arm64 (implementer [+ parts])");
  if (x86 && (rule.vendor.empty() || !rule.family))
    r.missing(rule.vendor.empty() ? "vendor" : "family");
  if (const toml::array* a = r.opt_array("models")) {
    if (!x86)
      r.fail(line_of(*t.get("models")), "models", "only for x86 rules; arm64 rules use parts");
    for (const toml::node& e : *a) {
      if (e.is_integer()) {
        unsigned v = static_cast<unsigned>(r.to_uint(e, "models"));
        rule.models.emplace_back(v, v);
      } else if (e.is_array() && e.as_array()->size() == 2) {
        unsigned lo = static_cast<unsigned>(r.to_uint(*e.as_array()->get(0), "models"));
        unsigned hi = static_cast<unsigned>(r.to_uint(*e.as_array()->get(1), "models"));
        if (lo > hi)
          r.fail(line_of(e), "models", fmt::format("range [{:#x}, {:#x}] is empty", lo, hi));
        rule.models.emplace_back(lo, hi);
      } else {
        r.fail(line_of(e), "models",
               fmt::format("expected a model or a [first, last] pair, got {}", type_name(e)));
      }
    }
  }
  if (const toml::array* a = r.opt_array("parts")) {
    if (!arm)
      r.fail(line_of(*t.get("parts")), "parts", "only for arm64 rules; x86 rules use models");
    for (const toml::node& e : *a)
      rule.parts.push_back(static_cast<unsigned>(r.to_uint(e, "parts")));
  }
  return rule;
}

template <typename Fn>
void for_each_table(const Reader& top, const toml::node* n, const char* key, Fn fn) {
  if (n == nullptr) return;
  const toml::array* a = n->as_array();
  if (a == nullptr || !a->is_array_of_tables())
    top.fail(line_of(*n), key, fmt::format("expected [[{}]] tables, got {}", key, type_name(*n)));
  for (const toml::node& e : *a) fn(*e.as_table());
}

ParsedFile parse_file(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw SetupError(fmt::format("{}: no such event file; the files in {} are: {}", path,
                                 events_dir(), join_names(known_uarchs())));
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw SetupError(
        fmt::format("{}:{}: syntax: {}", path, e.source().begin.line, e.description()));
  }
  Reader top(path, t, kTopKeys, "an event file");
  ParsedFile p;
  EventFile& f = p.file;
  f.path = path;
  f.uarch = top.string("uarch");
  f.description = top.string("description");
  f.provenance = top.string("provenance");
  for_each_table(top, t.get("match"), "match",
                 [&](const toml::table& m) { p.rules.push_back(read_match(path, m)); });
  std::map<std::string, int> seen;
  for_each_table(top, t.get("metric"), "metric", [&](const toml::table& m) {
    MetricDef d = read_metric(path, m);
    auto [it, fresh] = seen.emplace(d.metric, d.line);
    if (!fresh)
      throw SetupError(fmt::format("{}:{}: metric: '{}' is defined twice (first at line {})", path,
                                   line_of(*m.get("metric")), d.metric, it->second));
    f.metrics.push_back(std::move(d));
  });
  if (f.metrics.empty())
    top.fail(1, "metric", "no [[metric]] tables; a file maps at least one metric");
  return p;
}

bool matches(const MatchRule& r, const CpuIdentity& cpu) {
  if (r.implementer) {
    if (cpu.implementer != *r.implementer) return false;
    return r.parts.empty() || std::find(r.parts.begin(), r.parts.end(), cpu.part) != r.parts.end();
  }
  if (cpu.vendor != r.vendor || cpu.family != *r.family) return false;
  if (r.models.empty()) return true;
  return std::any_of(r.models.begin(), r.models.end(),
                     [&](const auto& m) { return cpu.model >= m.first && cpu.model <= m.second; });
}

std::string describe(const MatchRule& r) {
  if (r.implementer) {
    std::string parts;
    for (unsigned p : r.parts) parts += (parts.empty() ? "" : ", ") + fmt::format("{:#x}", p);
    return fmt::format("implementer {:#x}, parts {}", *r.implementer,
                       parts.empty() ? "any" : parts);
  }
  std::string models;
  for (auto [lo, hi] : r.models)
    models += (models.empty() ? "" : ", ") +
              (lo == hi ? fmt::format("{:#x}", lo) : fmt::format("{:#x}-{:#x}", lo, hi));
  return fmt::format("{} family {:#x}, models {}", r.vendor, *r.family,
                     models.empty() ? "any" : models);
}

std::string describe(const CpuIdentity& c) {
  if (c.implementer != 0)
    return fmt::format("arm64 implementer {:#x} part {:#x}", c.implementer, c.part);
  return fmt::format("{} family {:#x} model {:#x}", c.vendor, c.family, c.model);
}

}  // namespace

const std::vector<std::string>& known_metrics() {
  static const std::vector<std::string> k = {
      "cycles",          "instructions",     "ref_cycles", "llc_misses",       "llc_references",
      "llc_load_misses", "llc_store_misses", "l2_misses",  "dtlb_load_misses", "page_faults",
      "task_clock",      "context_switches", "energy_pkg"};
  return k;
}

const MetricDef* EventFile::find(const std::string& metric) const {
  for (const auto& m : metrics)
    if (m.metric == metric) return &m;
  return nullptr;
}

EventFile load_event_file(const std::string& path) { return parse_file(path).file; }

std::string events_dir() {
  if (const char* d = std::getenv("ZS_EVENTS_DIR"); d != nullptr && *d != '\0') return d;
  return data_dir(DataDir::events);
}

std::vector<std::string> known_uarchs() {
  const std::string dir = events_dir();
  std::error_code ec;
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") out.push_back(e.path().stem().string());
  if (ec)
    throw SetupError(fmt::format(
        "events directory {}: {}; set ZS_EVENTS_DIR to a directory of <uarch>.toml files", dir,
        ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

UarchChoice uarch_for(const CpuIdentity& cpu) {
  std::vector<std::string> hits;
  UarchChoice choice{"generic", ""};
  for (const auto& stem : known_uarchs()) {
    ParsedFile p = parse_file(events_dir() + "/" + stem + ".toml");
    for (const auto& rule : p.rules) {
      if (!matches(rule, cpu)) continue;
      hits.push_back(stem);
      if (hits.size() == 1) {
        choice.uarch = stem;
        choice.why = fmt::format("{} ({}) -> {}: {}.toml:{} rule '{}' ({})", describe(cpu),
                                 cpu.model_name.empty() ? "no model name" : cpu.model_name, stem,
                                 stem, rule.line, rule.name, describe(rule));
      }
      break;
    }
  }
  if (hits.empty())
    choice.why =
        fmt::format("{} ({}) -> generic: no [[match]] rule in {} matches", describe(cpu),
                    cpu.model_name.empty() ? "no model name" : cpu.model_name, events_dir());
  else if (hits.size() > 1)
    choice.why += fmt::format(" (also matched, ignored: {})",
                              join_names(std::vector<std::string>(hits.begin() + 1, hits.end())));
  return choice;
}

}  // namespace zs
