#include "sweep/settings_reader.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/limits.h"
#include "common/parse.h"
#include "common/units.h"
#include "counters/events.h"
#include "sweep/machine_checks.h"

namespace zs {

namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kSettingsKeys = {
    "repetitions",    "warmup",       "seed",   "label",       "cpu",
    "node",           "metrics",      "events", "llc_size",    "time_budget",
    "record_batches", "random_lines", "pool",   "report_wait", "shootdown"};

// pool = 0 asks for the automatic size (at least 4x the LLC).
constexpr Limit kPoolOrAuto{limits::pool.name, 0, limits::pool.max, limits::pool.unit};

std::string key(const char* k) { return std::string("settings.") + k; }

std::optional<double> parse_duration(std::string_view s) {
  if (s.size() < 2) return std::nullopt;
  const char unit = s.back();
  const double scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : 0;
  auto n = parse_u64(s.substr(0, s.size() - 1));
  if (scale == 0 || !n) return std::nullopt;
  return double(*n) * scale;
}

// A relative event file is looked up beside the sweep file first, then
// from the working directory.
std::string resolve_events(const TomlReader& c, const toml::node& n, const std::string& given) {
  fs::path p(given);
  std::error_code ec;
  if (p.is_relative()) {
    fs::path beside = fs::path(c.path()).parent_path() / p;
    if (fs::exists(beside, ec)) return beside.lexically_normal().string();
  }
  // Anything that exists is the loader's to refuse (a FIFO, a directory:
  // common/toml_reader.h), with the reason.
  if (fs::exists(p, ec)) return given;
  c.fail(n, key("events"),
         fmt::format("no event file '{}' (relative paths are looked up beside this file, then in "
                     "the working directory); the shipped files are in {}",
                     given, events_dir()));
}

std::string read_label(const TomlReader& c, const toml::node& n) {
  std::string label = c.string(n, key("label"));
  if (auto why = label_problem(label)) c.fail(n, key("label"), *why);
  return label;
}

// A TOML integer is signed 64-bit: a seed above 2^63-1 is given as a string.
std::uint64_t read_seed(const TomlReader& c, const toml::node& n) {
  if (n.is_integer()) return c.integer(n, key("seed"), limits::seed);
  if (!n.is_string())
    c.wrong_type(n, key("seed"),
                 "an integer (or a string of digits for a seed above 9223372036854775807)");
  const std::string text = *n.value<std::string>();
  auto v = parse_u64(text);
  if (!v)
    c.fail(n, key("seed"),
           fmt::format("'{}' is not a whole number; allowed: {}", text, allowed(limits::seed)));
  return *v;
}

std::vector<std::string> read_metrics(const TomlReader& c, const toml::node& n) {
  const auto& known = known_metrics();
  if (!n.is_array()) c.wrong_type(n, key("metrics"), "a list of strings");
  const toml::array& a = *n.as_array();
  if (a.empty())
    c.fail(n, key("metrics"), "empty; leave the key out to count every metric of the event file");
  std::vector<std::string> out;
  for (const toml::node& e : a) {
    if (!e.is_string()) c.wrong_type(e, key("metrics"), "a list of strings");
    std::string m = c.choice(e, key("metrics"), known);
    if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
  }
  return out;
}

}  // namespace

std::optional<std::string> llc_size_problem(std::string_view text, std::uint64_t bytes) {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return std::nullopt;
  const auto memory = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
  if (bytes <= memory) return std::nullopt;
  return fmt::format(
      "'{}' ({}) is more than this machine's memory ({}); give the last-level cache's size, "
      "e.g. \"32MiB\"",
      printable(text), approx_size(bytes), approx_size(memory));
}

SweepSettings read_settings(const TomlReader& c, const toml::table* t) {
  SweepSettings s;
  if (t == nullptr) return s;
  c.only_keys(*t, kSettingsKeys, "settings.");
  if (auto* n = t->get("repetitions"))
    s.repetitions = c.integer(*n, key("repetitions"), limits::repetitions);
  if (auto* n = t->get("warmup")) s.warmup = c.integer(*n, key("warmup"), limits::warmup);
  if (auto* n = t->get("seed")) s.seed = read_seed(c, *n);
  if (auto* n = t->get("label")) s.label = read_label(c, *n);
  if (auto* n = t->get("cpu")) {
    s.cpu = static_cast<int>(c.integer(*n, key("cpu"), limits::cpu));
    if (auto why = sweep_machine::cpu_problem(*s.cpu)) c.fail(*n, key("cpu"), *why);
  }
  if (auto* n = t->get("node")) {
    s.node = static_cast<int>(c.integer(*n, key("node"), limits::node));
    if (auto why = sweep_machine::node_problem(*s.node)) c.fail(*n, key("node"), *why);
  }
  if (auto* n = t->get("metrics")) s.metrics = read_metrics(c, *n);
  if (auto* n = t->get("events")) {
    std::string path = resolve_events(c, *n, c.string(*n, key("events")));
    try {
      load_event_file(path);
    } catch (const SetupError& e) {
      c.fail(*n, key("events"), e.what());
    }
    s.events = path;
  }
  if (auto* n = t->get("llc_size")) {
    std::string text = c.string(*n, key("llc_size"));
    auto v = parse_size(text);
    if (!v || *v == 0)
      c.fail(*n, key("llc_size"), fmt::format("'{}' is not a size; e.g. \"32MiB\"", text));
    if (auto why = llc_size_problem(text, *v)) c.fail(*n, key("llc_size"), *why);
    s.llc_size = *v;
  }
  if (auto* n = t->get("time_budget")) {
    std::string text = c.string(*n, key("time_budget"));
    auto v = parse_duration(text);
    if (!v)
      c.fail(*n, key("time_budget"),
             fmt::format("'{}' is not a duration; give a whole number of s, m or h, e.g. \"90s\", "
                         "\"10m\", \"2h\"",
                         text));
    if (*v == 0)
      c.fail(*n, key("time_budget"),
             fmt::format("'{}' would stop before the first sample; give at least \"1s\", or "
                         "leave the key out for no budget",
                         text));
    s.time_budget_s = *v;
  }
  if (auto* n = t->get("record_batches")) s.record_batches = c.boolean(*n, key("record_batches"));
  if (auto* n = t->get("shootdown")) s.shootdown = c.boolean(*n, key("shootdown"));
  if (auto* n = t->get("random_lines"))
    s.random_lines =
        static_cast<std::uint32_t>(c.integer(*n, key("random_lines"), limits::random_lines));
  if (auto* n = t->get("pool")) s.pool = c.integer(*n, key("pool"), kPoolOrAuto);
  if (auto* n = t->get("report_wait")) {
    std::string text = c.string(*n, key("report_wait"));
    auto v = parse_duration(text);
    if (!v)
      c.fail(*n, key("report_wait"),
             fmt::format("'{}' is not a duration; give a whole number of s, m or h, e.g. \"3s\"",
                         text));
    if (auto why = out_of_range(limits::report_wait, static_cast<std::uint64_t>(*v)))
      c.fail(*n, key("report_wait"), fmt::format("'{}': {}", text, *why));
    s.report_wait_s = *v;
  }
  return s;
}

}  // namespace zs
