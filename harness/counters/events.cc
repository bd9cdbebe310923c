// Event files: configs/events/<uarch>.toml, read with the checked-TOML
// reader (common/toml_reader.h) so that a mistake is reported as
// "path:line: key: problem", in the same words as a sweep file's, before
// anything is measured. The [[match]] rules in the same files choose the
// file for a CPU (uarch_choice.cc): which CPU a file describes is data.
#include "counters/events.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/limits.h"
#include "common/toml_reader.h"
#include "counters/match_rules.h"

namespace zs {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTopKeys = {"uarch",   "description", "provenance",
                                           "checked", "match",       "metric"};
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

// One table of an event file with a fixed key set; `where` names it in
// "missing; required in [[metric]]".
class Table {
 public:
  Table(const TomlReader& c, const toml::table& t, const std::vector<std::string>& allowed,
        std::string where)
      : c(c), t_(t), where_(std::move(where)) {
    c.only_keys(t, allowed, "");
  }

  const TomlReader& c;
  int line() const { return line_of(t_); }
  const toml::node* node(const char* key) const { return t_.get(key); }
  const toml::node& at(const char* key) const {
    const toml::node* n = t_.get(key);
    if (n == nullptr) c.missing(line(), key, where_);
    return *n;
  }

  std::optional<std::string> opt_string(const char* key) const {
    const toml::node* n = node(key);
    if (n == nullptr) return std::nullopt;
    return c.string(*n, key);
  }
  std::string string(const char* key) const { return c.nonempty_string(at(key), key); }
  std::string choice(const char* key, const std::vector<std::string>& allowed) const {
    string(key);
    return c.choice(at(key), key, allowed);
  }
  std::optional<std::uint64_t> opt_uint(const char* key, const Limit& l) const {
    const toml::node* n = node(key);
    if (n == nullptr) return std::nullopt;
    return c.integer(*n, key, l);
  }
  bool boolean(const char* key) const { return c.boolean(at(key), key); }
  const toml::array* opt_array(const char* key) const {
    const toml::node* n = node(key);
    return n == nullptr ? nullptr : &c.array(*n, key);
  }

 private:
  const toml::table& t_;
  std::string where_;
};

unsigned cpu_id(const TomlReader& c, const toml::node& n, const char* key) {
  return static_cast<unsigned>(c.integer(n, key, limits::cpu_id));
}

RawEvent read_raw(const TomlReader& c, const toml::node& n) {
  if (!n.is_table()) c.wrong_type(n, "raw", "a table");
  Table r(c, *n.as_table(), kRawKeys, "raw = { ... }");
  RawEvent raw;
  raw.config = c.integer(r.at("config"), "config", limits::perf_config);
  raw.config1 = r.opt_uint("config1", limits::perf_config).value_or(0);
  raw.config2 = r.opt_uint("config2", limits::perf_config).value_or(0);
  raw.pmu = r.opt_string("pmu").value_or("");
  raw.event = r.opt_string("event").value_or("");
  if (!raw.event.empty() && raw.pmu.empty())
    c.fail(*r.node("event"), "event", "a sysfs event needs pmu = \"<name>\" beside it");
  return raw;
}

MetricScope scope_of(const std::string& s) {
  if (s == "uncore") return MetricScope::uncore;
  if (s == "software") return MetricScope::software;
  if (s == "energy") return MetricScope::energy;
  return MetricScope::core;
}

MetricDef read_metric(const TomlReader& c, const toml::table& t) {
  Table r(c, t, kMetricKeys, "[[metric]]");
  MetricDef m;
  m.line = r.line();
  r.string("metric");
  m.metric = c.choice(r.at("metric"), "metric", known_metrics());
  m.pfm = r.opt_string("pfm").value_or("");
  if (const toml::node* n = r.node("raw")) m.raw = read_raw(c, *n);
  if (m.pfm.empty() && !m.raw)
    c.fail(m.line, "pfm", "missing; give pfm = \"pmu::EVENT\", raw = { ... }, or both");
  if (!m.pfm.empty() && m.pfm.find("::") == std::string::npos)
    c.fail(
        r.at("pfm"), "pfm",
        fmt::format("'{}' has no PMU prefix; name the libpfm4 table explicitly (e.g. 'perf::{}')",
                    m.pfm, m.pfm));
  m.provenance = r.string("provenance");
  m.meaning = r.string("meaning");
  m.counts = r.choice("counts", kCounts);
  m.scope = scope_of(r.choice("scope", kScopes));
  m.privilege_filter = r.boolean("privilege_filter");
  if (r.node("unit")) m.unit = r.choice("unit", kUnits);
  // Cross-checks that keep a declared meaning self-consistent.
  const toml::node& scope = r.at("scope");
  if ((m.scope == MetricScope::energy) != (m.counts == "energy"))
    c.fail(scope, "scope", "scope = \"energy\" goes with counts = \"energy\" and only with it");
  if (m.scope == MetricScope::energy && (m.unit != "joules" || m.privilege_filter))
    c.fail(scope, "scope", "an energy metric needs unit = \"joules\" and privilege_filter = false");
  if ((m.scope == MetricScope::software) != (m.counts == "software"))
    c.fail(scope, "scope", "scope = \"software\" goes with counts = \"software\" and only with it");
  return m;
}

MatchRule read_match(const TomlReader& c, const toml::table& t) {
  Table r(c, t, kMatchKeys, "[[match]]");
  MatchRule rule;
  rule.line = r.line();
  rule.name = r.string("name");
  rule.vendor = r.opt_string("vendor").value_or("");
  if (auto f = r.opt_uint("family", limits::cpu_id)) rule.family = static_cast<unsigned>(*f);
  if (auto i = r.opt_uint("implementer", limits::cpu_id))
    rule.implementer = static_cast<unsigned>(*i);
  const bool x86 = !rule.vendor.empty() || rule.family, arm = rule.implementer.has_value();
  if (x86 == arm)
    c.fail(rule.line, "match",
           "a rule is either x86 (vendor + family [+ models]) or arm64 (implementer [+ parts])");
  if (x86 && rule.vendor.empty()) r.at("vendor");
  if (x86 && !rule.family) r.at("family");
  if (const toml::array* a = r.opt_array("models")) {
    if (!x86) c.fail(r.at("models"), "models", "only for x86 rules; arm64 rules use parts");
    for (const toml::node& e : *a) {
      if (e.is_integer()) {
        const unsigned v = cpu_id(c, e, "models");
        rule.models.emplace_back(v, v);
      } else if (e.is_array() && e.as_array()->size() == 2) {
        const unsigned lo = cpu_id(c, *e.as_array()->get(0), "models");
        const unsigned hi = cpu_id(c, *e.as_array()->get(1), "models");
        if (lo > hi) c.fail(e, "models", fmt::format("range [{:#x}, {:#x}] is empty", lo, hi));
        rule.models.emplace_back(lo, hi);
      } else {
        c.wrong_type(e, "models", "a model or a [first, last] pair");
      }
    }
  }
  if (const toml::array* a = r.opt_array("parts")) {
    if (!arm) c.fail(r.at("parts"), "parts", "only for arm64 rules; x86 rules use models");
    for (const toml::node& e : *a) rule.parts.push_back(cpu_id(c, e, "parts"));
  }
  return rule;
}

std::string read_text(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw SetupError(fmt::format("{}: no such event file; the files in {} are: {}", path,
                                 events_dir(), fmt::join(known_uarchs(), ", ")));
  return read_input_file(path, "event file");
}

}  // namespace

std::string_view to_string(MetricScope s) {
  switch (s) {
    case MetricScope::core:
      return "core";
    case MetricScope::uncore:
      return "uncore";
    case MetricScope::software:
      return "software";
    case MetricScope::energy:
      return "energy";
  }
  return "core";
}

ParsedEventFile parse_event_file(const std::string& path) {
  const TomlReader c(path);
  const toml::table t = c.parse(read_text(path));
  Table top(c, t, kTopKeys, "an event file");
  ParsedEventFile p;
  EventFile& f = p.file;
  f.path = path;
  f.uarch = top.string("uarch");
  f.description = top.string("description");
  f.provenance = top.string("provenance");
  if (top.node("checked") != nullptr) f.checked = top.string("checked");
  for (const toml::table* m : c.tables(t.get("match"), "match"))
    p.rules.push_back(read_match(c, *m));
  std::map<std::string, int> seen;
  for (const toml::table* m : c.tables(t.get("metric"), "metric")) {
    MetricDef d = read_metric(c, *m);
    auto [it, fresh] = seen.emplace(d.metric, d.line);
    if (!fresh)
      c.fail(*m->get("metric"), "metric",
             fmt::format("'{}' is defined twice (first at line {})", d.metric, it->second));
    f.metrics.push_back(std::move(d));
  }
  if (f.metrics.empty())
    c.fail(1, "metric", "no [[metric]] tables; a file maps at least one metric");
  return p;
}

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

EventFile load_event_file(const std::string& path) { return parse_event_file(path).file; }

}  // namespace zs
