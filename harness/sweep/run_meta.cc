#include "sweep/run_meta.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/build_info.h"
#include "common/clock.h"
#include "counters/counter_set.h"
#include "sweep/drift_control.h"
#include "sweep/fault_anatomy_meta.h"
#include "sweep/kernel_strategy.h"
#include "sweep/memory_axis.h"

namespace zs {

namespace {
// The fields that make two runs comparable for a resume: a different
// machine or kernel must not add samples to another's results.
const char* kIdentity[][2] = {{"host", "/host"},
                              {"cpu vendor", "/cpu/vendor"},
                              {"cpu model name", "/cpu/model_name"},
                              {"cpu family", "/cpu/family"},
                              {"cpu model", "/cpu/model"},
                              {"cpu stepping", "/cpu/stepping"},
                              {"kernel release", "/kernel/release"}};
}  // namespace

std::string identity_difference(const nlohmann::json& then, const nlohmann::json& now) {
  for (auto& [name, ptr] : kIdentity) {
    nlohmann::json::json_pointer p(ptr);
    auto a = then.contains(p) ? then.at(p) : nlohmann::json();
    auto b = now.contains(p) ? now.at(p) : nlohmann::json();
    if (a != b) return fmt::format("{} was {} and is {} now", name, a.dump(), b.dump());
  }
  return "";
}

nlohmann::json config_fingerprint(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bits
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return {{"fnv1a64", fmt::format("{:016x}", h)}, {"bytes", bytes.size()}};
}

std::string fingerprint_text(const nlohmann::json& f) {
  if (!f.is_object()) return "none";
  return fmt::format("{}/{} bytes", f.value("fnv1a64", "?"), f.value("bytes", 0));
}

std::string config_difference(const nlohmann::json& then, const nlohmann::json& now) {
  std::vector<std::string> diffs;
  for (const char* part : {"settings", "axes", "exclude", "point_count"}) {
    const nlohmann::json a = then.value(part, nlohmann::json()).flatten(),
                         b = now.value(part, nlohmann::json()).flatten();
    nlohmann::json keys = a;
    keys.update(b);
    for (auto& [k, v] : keys.items()) {
      const nlohmann::json x = a.value(k, nlohmann::json()), y = b.value(k, nlohmann::json());
      if (x != y) {
        std::string name = std::string(part) + k;
        for (char& c : name)
          if (c == '/') c = '.';
        diffs.push_back(fmt::format("{} was {}, now {}", name, x.dump(), y.dump()));
      }
    }
  }
  if (diffs.size() > 4) {
    const std::size_t more = diffs.size() - 3;
    diffs.resize(3);
    diffs.push_back(fmt::format("{} more", more));
  }
  return fmt::format("{}", fmt::join(diffs, "; "));
}

nlohmann::json start_meta(const RunMetaInputs& in) {
  const SweepSession& s = in.session;
  nlohmann::json meta;
  meta["schema"] = kResultsSchema;
  meta["zeroscope"] = {{"version", build_version()}, {"commit", build_git_commit()}};
  meta["label"] = in.label;
  meta["capability"] = in.capability;
  meta["config"] = sweep_to_json(in.config, s.points());
  meta["kernel_strategy"] = kernel_strategy_json(in.config, s.points());
  meta["config_fingerprint"] = in.fingerprint;
  meta["run_options"] = in.run_options;
  meta["placement"] = {{"cpu", s.placement.cpu},
                       {"cpu_source", s.placement.cpu_source},
                       {"node", s.placement.node},
                       {"node_source", s.placement.node_source}};
  meta["llc"] = {{"bytes", s.llc.bytes}, {"source", s.llc.source}};
  meta["tsc"] = {{"counter", s.tsc.counter},
                 {"hz", s.tsc.hz ? nlohmann::json(*s.tsc.hz) : nlohmann::json()},
                 {"source", s.tsc.source}};
  if (const CounterSet* c = s.counters()) {
    nlohmann::json missing = nlohmann::json::object();
    for (const MissingMetric& m : c->missing()) missing[m.column] = m.reason;
    meta["counters"] = {{"event_file", s.events->file.path},
                        {"uarch", s.events->file.uarch},
                        {"chosen", s.events->why},
                        {"passes", c->describe_passes()},
                        {"read_path", c->read_path()},
                        {"kernel_counting", s.pmu.kernel},
                        {"kernel_why", s.pmu.kernel_why},
                        {"not_measured", missing},
                        {"overhead_ns",
                         {{"timing_only_empty_phase", s.timing_overhead.phase_ns},
                          {"counters_start_stop", s.counter_overhead.ns}}}};
  }
  nlohmann::json pools = nlohmann::json::array();
  for (const FolioPool* pool : s.pools()) pools.push_back(pool->describe());
  meta["pools"] = pools;
  meta["fault_anatomy"] = fault_anatomy_meta(s);
  meta["access_sensitivity"] = to_json(s.access_sensitivity);
  meta["memory"] = memory_meta(s.points(), in.config.settings, machine_reporting());
  const nlohmann::json* old = in.previous;
  meta["started"] = old ? old->value("started", utc_iso_now()) : utc_iso_now();
  nlohmann::json resumes =
      old ? old->value("resumed", nlohmann::json::array()) : nlohmann::json::array();
  if (old)
    resumes.push_back({{"at", utc_iso_now()},
                       {"samples_already_done", in.done_before},
                       {"duplicate_rows_removed", in.repair.duplicate_rows},
                       {"partial_samples_cut", in.repair.partial_samples},
                       {"torn_line_cut", in.repair.torn_line}});
  meta["resumed"] = resumes;
  meta["control"] = control_meta(s.control_point(), s.control().every(), old);
  meta["status"] = "running";
  meta["samples"] = {{"expected", in.total}, {"done_before", in.done_before}};
  return meta;
}

void finish_meta(nlohmann::json& meta, RunStatus status, const CompletedSamples& after,
                 std::uint64_t total, std::uint64_t done_before, double wall_seconds) {
  meta["status"] = std::string(to_string(status));
  meta["ended"] = utc_iso_now();
  nlohmann::json left = nlohmann::json::object();
  std::uint64_t left_total = 0;
  for (const auto& [why, n] : after.left_out) {
    left[why] = n;
    left_total += n;
  }
  meta["samples"] = {{"expected", total},
                     {"done", after.done.size()},
                     {"rows", after.rows},
                     {"kept", after.done.size() - left_total},
                     {"left_out", left},
                     {"done_before", done_before},
                     {"wall_seconds_this_run", wall_seconds}};
  std::uint64_t duplicates = 0;
  for (const nlohmann::json& r : meta["resumed"])
    duplicates += r.value("duplicate_rows_removed", std::uint64_t(0));
  meta["samples"]["duplicate_rows_removed"] = duplicates;
  meta.erase("failure");
}

void fail_meta(nlohmann::json& meta, const std::string& reason) {
  meta["status"] = std::string(to_string(RunStatus::failed));
  meta["ended"] = utc_iso_now();
  meta["failure"] = reason;
}

}  // namespace zs
