// zeroscope events: what each metric means on this CPU (or a named
// microarchitecture, or a given file) and how the installed libpfm4
// encodes it - libpfm4, raw fallback, or why neither works.
#include <algorithm>
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "cli/events_check.h"
#include "cli/usage.h"
#include "common/errors.h"
#include "counters/events.h"

namespace zs::cli {

namespace {

struct EventsArgs {
  std::string uarch, events;
  bool json = false, check = false;
};

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

std::string encoding_kind(const EncodeResult& r) {
  if (!r.event) return "fails";
  if (r.event->via.rfind("libpfm4 ", 0) == 0) return "libpfm4";
  if (r.event->via.rfind("raw fallback", 0) == 0) return "raw fallback";
  return "raw";
}

nlohmann::ordered_json metric_json(const MetricDef& m, const EncodeResult& r) {
  nlohmann::ordered_json j = {{"metric", m.metric},
                              {"pfm", m.pfm},
                              {"meaning", m.meaning},
                              {"counts", m.counts},
                              {"scope", to_string(m.scope)},
                              {"unit", m.unit},
                              {"privilege_filter", m.privilege_filter},
                              {"provenance", m.provenance},
                              {"line", m.line}};
  j["raw"] = nullptr;
  if (m.raw) {
    j["raw"] = {{"pmu", m.raw->pmu},
                {"event", m.raw->event},
                {"config", hex(m.raw->config)},
                {"config1", hex(m.raw->config1)},
                {"config2", hex(m.raw->config2)}};
  }
  nlohmann::ordered_json enc = {{"kind", encoding_kind(r)}, {"ok", r.event.has_value()}};
  if (r.event) {
    const perf_event_attr& a = r.event->attr;
    enc["via"] = r.event->via;
    enc["type"] = a.type;
    enc["config"] = hex(a.config);
    enc["config1"] = hex(a.config1);
    enc["config2"] = hex(a.config2);
    enc["scale"] = r.event->scale;
  } else {
    enc["error"] = r.error;
  }
  j["encoding"] = enc;
  return j;
}

void print_text(const EventFile& f, const std::string& why, const std::vector<EncodeResult>& enc) {
  fmt::print("uarch       {}\n", f.uarch);
  fmt::print("file        {}\n", f.path);
  if (!why.empty()) fmt::print("chosen      {}\n", why);
  fmt::print("cpus        {}\n", f.description);
  fmt::print("provenance  {}\n", f.provenance);
  if (!f.checked.empty()) fmt::print("checked     {}\n", f.checked);
  fmt::print("libpfm4     {}\n", pfm_version());
  for (std::size_t i = 0; i < f.metrics.size(); ++i) {
    const MetricDef& m = f.metrics[i];
    const EncodeResult& r = enc[i];
    fmt::print("\n{:<18} counts={:<13} scope={:<9} filter={:<4} unit={}\n", m.metric, m.counts,
               to_string(m.scope), m.privilege_filter ? "u/k" : "none", m.unit);
    if (!m.pfm.empty()) fmt::print("  {:<10}{}\n", "event", m.pfm);
    if (m.raw) {
      std::string raw = m.raw->pmu.empty() ? "cpu" : m.raw->pmu;
      raw += m.raw->event.empty() ? fmt::format(" config={:#x}", m.raw->config)
                                  : fmt::format(" sysfs event {} (expected config={:#x})",
                                                m.raw->event, m.raw->config);
      if (m.raw->config1 != 0) raw += fmt::format(" config1={:#x}", m.raw->config1);
      if (m.raw->config2 != 0) raw += fmt::format(" config2={:#x}", m.raw->config2);
      fmt::print("  {:<10}{}\n", "raw", raw);
    }
    if (r.event) {
      const perf_event_attr& a = r.event->attr;
      fmt::print("  {:<10}{}: type={} config={:#x}", "encoding", encoding_kind(r), a.type,
                 a.config);
      if (a.config1 != 0) fmt::print(" config1={:#x}", a.config1);
      if (a.config2 != 0) fmt::print(" config2={:#x}", a.config2);
      if (r.event->scale != 1.0) fmt::print(" scale={}", r.event->scale);
      fmt::print("\n  {:<10}{}\n", "via", r.event->via);
    } else {
      fmt::print("  {:<10}fails: {}\n", "encoding", r.error);
    }
    fmt::print("  {:<10}{}\n", "meaning", m.meaning);
  }
}

int run_events(const EventsArgs& a) {
  if (!a.uarch.empty() && !a.events.empty())
    throw UsageError(
        "--uarch and --events: give one; --uarch picks configs/events/<NAME>.toml, --events a "
        "file");
  std::string path, why;
  if (!a.events.empty()) {
    path = a.events;
  } else {
    std::string uarch = a.uarch;
    if (uarch.empty()) {
      UarchChoice c = uarch_for(this_cpu());
      uarch = c.uarch;
      why = c.why;
    }
    path = events_dir() + "/" + uarch + ".toml";
  }
  EventFile f = load_event_file(path);
  if (a.check) return run_events_check(f, a.json);
  std::vector<EncodeResult> enc;
  for (const auto& m : f.metrics) enc.push_back(encode_metric(m));

  if (a.json) {
    nlohmann::ordered_json j = {{"uarch", f.uarch},
                                {"path", f.path},
                                {"chosen", why},
                                {"description", f.description},
                                {"provenance", f.provenance},
                                {"checked", f.checked},
                                {"libpfm4", pfm_version()}};
    j["metrics"] = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < f.metrics.size(); ++i)
      j["metrics"].push_back(metric_json(f.metrics[i], enc[i]));
    fmt::print("{}\n", j.dump(2));
  } else {
    print_text(f, why, enc);
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}

// A file stem of events_dir(), asked for when the flag is given.
CLI::Validator known_uarch() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        try {
          auto known = known_uarchs();
          if (std::find(known.begin(), known.end(), value) != known.end()) return {};
          return fmt::format("unknown '{}'; known: {} (files in {})", value, fmt::join(known, ", "),
                             events_dir());
        } catch (const SetupError& e) {
          return e.what();
        }
      },
      "NAME");
}

}  // namespace

Runner add_events(CLI::App& app) {
  auto args = std::make_shared<EventsArgs>();
  CLI::App* sub =
      app.add_subcommand("events", "List the event file's metrics, meanings and encodings");
  sub->add_option("--uarch", args->uarch, "microarchitecture file to list (default: this CPU's)")
      ->check(known_uarch());
  sub->add_option("--events", args->events,
                  "event file to list instead of configs/events/<uarch>.toml");
  sub->add_flag("--json", args->json, "print JSON instead of text");
  sub->add_flag("--check", args->check,
                "compare each entry's libpfm4 encoding with its raw fallback (exit 1 on a "
                "difference, 77 when this libpfm4 lacks the file's table)");
  return [sub, args]() { return sub->parsed() ? run_events(*args) : -1; };
}

}  // namespace zs::cli
