#include "sweep/fault_anatomy_meta.h"

#include <map>

namespace zs {

nlohmann::json fault_anatomy_meta(const SweepSession& s) {
  if (!s.fault_tracer) return {{"available", false}, {"why", "no kernel-fault point"}};
  nlohmann::json j = s.fault_tracer->to_json();
  if (s.tracing_cost)
    j["tracing_cost"] = to_json(*s.tracing_cost);
  else
    j["tracing_cost"] = nullptr;
  return j;
}

void count_fault_anatomy(nlohmann::json& meta, const SamplesFile& samples) {
  if (!meta.contains("fault_anatomy")) return;
  std::uint64_t rows = 0, formed = 0;
  std::map<std::string, std::uint64_t> why;
  for (const SampleRow& r : samples.rows) {
    if (r.phase != "fault") continue;
    ++rows;
    if (r.fault_zero_ns)
      ++formed;
    else
      ++why[r.fault_untraced.empty() ? "not recorded" : r.fault_untraced];
  }
  meta["fault_anatomy"]["samples"] = {
      {"fault_rows", rows}, {"formed", formed}, {"unformed", nlohmann::json(why)}};
}

std::string fault_anatomy_warning(const SweepSession& s) {
  return s.tracing_cost ? tracing_cost_warning(*s.tracing_cost) : "";
}

}  // namespace zs
