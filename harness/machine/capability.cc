// Gathers the capability record: each section's reader (capability_*.cc)
// fills it through Record (capability_record.h).
#include "machine/capability.h"

#include "common/build_info.h"
#include "common/clock.h"
#include "counters/counters.h"
#include "machine/capability_record.h"
#include "machine/emulation.h"

namespace zs {

using nlohmann::json;

const std::vector<std::string>& capability_sections() {
  static const std::vector<std::string> k = {"schema",       "zeroscope_version",
                                             "collected_at", "emulation",
                                             "host",         "cpu",
                                             "kernel",       "tsc",
                                             "perf",         "thp",
                                             "hugetlb",      "caches",
                                             "numa",         "cpufreq",
                                             "primitives",   "metrics",
                                             "missing"};
  return k;
}

json capability_record() {
  using namespace capability;
  json root = json::object();
  root["missing"] = json::object();
  Record r(root);
  r.set("schema", kCapabilitySchema);
  r.set("zeroscope_version", build_version());
  r.set("zeroscope_commit", build_git_commit());
  r.set("collected_at", utc_iso_now());
  const json emulation = emulation_json(this_emulation());
  for (const auto& [key, value] : emulation.items()) r.set(key, value);
  cpu_section(r);
  kernel_section(r);
  tsc_section(r);
  PmuAccess access = probe_pmu_access();
  perf_section(r, access);
  thp_section(r);
  hugetlb_section(r);
  caches_section(r);
  numa_section(r);
  cpufreq_section(r);
  primitives_section(r);
  metrics_section(r, access);
  return root;
}

}  // namespace zs
