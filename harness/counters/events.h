// Metrics are data: vendor-neutral names (llc_misses, cycles, ...) mapped
// per microarchitecture in configs/events/<uarch>.toml, each entry with its
// libpfm4 event string, a raw fallback for CPUs the installed libpfm4 does
// not know, its provenance and its declared meaning. The file is chosen
// from the CPU (vendor/family/model; arm64 implementer/part) or given
// explicitly (the `events` option or setting).
#pragma once

#include <linux/perf_event.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "machine/cpu_identity.h"

namespace zs {

// Where a metric is counted: on the task's core, by an uncore PMU or as
// package energy (both opened CPU-wide, not per task), or by the kernel.
enum class MetricScope { core, uncore, software, energy };
std::string_view to_string(MetricScope s);
// Opened for a CPU (perf_event_open pid -1), not for the task.
inline bool cpu_wide(MetricScope s) { return s == MetricScope::uncore || s == MetricScope::energy; }

// The metric names every event file may map; anything else is an error.
// cycles, instructions, ref_cycles, llc_misses, llc_references,
// llc_load_misses, llc_store_misses, l2_misses, dtlb_load_misses,
// page_faults, task_clock, context_switches, energy_pkg.
const std::vector<std::string>& known_metrics();

struct RawEvent {
  std::uint32_t type = PERF_TYPE_RAW;  // or a PMU's dynamic type name, resolved at encode time
  std::string pmu;  // "" = core PMU (PERF_TYPE_RAW); else sysfs PMU name ("power", "amd_l3")
  std::uint64_t config = 0, config1 = 0, config2 = 0;
  // Named-PMU events only: the sysfs event (/sys/bus/event_source/devices/
  // <pmu>/events/<event>, e.g. "energy-pkg") whose terms replace config at
  // encode time; config above is then only the documented expectation.
  std::string event;
};

struct MetricDef {
  std::string metric;  // a known_metrics() name
  std::string pfm;     // libpfm4 event string ("" = none), e.g. "amd64_fam19h_zen4::..."
  std::optional<RawEvent> raw;
  std::string
      provenance;       // where the encoding comes from (libpfm4 table, vendor doc, kernel source)
  std::string meaning;  // one line, for humans: what exactly it counts
  std::string counts;   // all | demand-loads | rfo | prefetch | loads+rfo | stores | cycles |
                        // instructions | software | energy
  MetricScope scope = MetricScope::core;
  bool privilege_filter = true;  // whether exclude_user / exclude_kernel apply
  std::string unit = "count";    // count | ns | joules
  int line = 0;                  // line in the file, for messages
};

struct EventFile {
  std::string uarch;  // "zen4", "spr", "neoverse-n1", "generic"
  std::string path;
  std::string description;  // "AMD Zen 4 (family 0x19, models 0x10-0x1f, 0x60-0x7f, ...)"
  std::string provenance;   // the file's header line: sources and date
  // Optional: which libpfm4 checked the file, how and when, and the outcome
  // ("libpfm4 4.13.0 (Debian 12 libpfm4:arm64) under qemu-aarch64, ...");
  // written from `zeroscope events --check`. "" = never checked.
  std::string checked;
  std::vector<MetricDef> metrics;
  const MetricDef* find(const std::string& metric) const;
};

// Throws SetupError "path:line: key: problem" for a malformed file
// (unknown key with the nearest valid one, unknown metric, wrong type).
EventFile load_event_file(const std::string& path);

// configs/events/ of the source tree or of the installed prefix
// ($ZS_EVENTS_DIR overrides).
std::string events_dir();
std::vector<std::string> known_uarchs();  // file stems in events_dir()

// The uarch whose file describes `cpu`, with the rule that matched
// ("AMD family 0x1a -> zen5"); "generic" when none does.
struct UarchChoice {
  std::string uarch;
  std::string why;
};
UarchChoice uarch_for(const CpuIdentity& cpu);

// An event ready for perf_event_open: attr filled except the privilege
// bits (exclude_user/exclude_kernel/exclude_hv), which the counter code sets.
struct EncodedEvent {
  perf_event_attr attr{};
  // Multiply the count by this to get MetricDef::unit (sysfs <event>.scale,
  // e.g. 2^-32 for RAPL energy in joules); 1 for everything else.
  double scale = 1.0;
  std::string via;  // "libpfm4 amd64_fam19h_zen4::RETIRED_INSTRUCTIONS" | "raw fallback (...)"
};
struct EncodeResult {
  std::optional<EncodedEvent> event;
  std::string error;  // why neither libpfm4 nor the raw fallback could encode it
};
// libpfm4 first (pfm_get_os_event_encoding, PFM_OS_PERF_EVENT_EXT), the raw
// fallback when libpfm4 does not know the event or the PMU; a raw event of
// a named PMU needs /sys/bus/event_source/devices/<pmu>/type.
EncodeResult encode_metric(const MetricDef& m);
// libpfm4 alone, without the raw fallback (for `events --check`).
EncodeResult encode_pfm_event(const std::string& pfm);

// libpfm4 initialised once; its version string and the PMUs it detects
// (name, description, core/uncore, counters) for the capability record.
struct PfmPmu {
  std::string name, desc;
  bool present;
  std::string type;  // core | uncore | os | unknown
  int counters;
};
std::string pfm_version();
std::vector<PfmPmu> pfm_pmus(bool present_only = true);

}  // namespace zs
