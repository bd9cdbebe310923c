// The record's perf, primitives and metrics sections: what can be counted
// here and with which zeroing primitives.
#include <algorithm>
#include <filesystem>

#include "counters/event_selection.h"
#include "counters/events.h"
#include "machine/capability_record.h"
#include "machine/sysfs.h"
#include "primitives/registry.h"

namespace zs::capability {

using nlohmann::json;
namespace fs = std::filesystem;

void perf_section(Record& r, const PmuAccess& a) {
  std::string version = pfm_version();
  if (version.empty())
    r.unknown("perf.libpfm_version", "libpfm4 did not initialise");
  else
    r.set("perf.libpfm_version", version);
  json pmus = json::array();
  for (const PfmPmu& p : pfm_pmus())
    pmus.push_back(
        {{"name", p.name}, {"desc", p.desc}, {"type", p.type}, {"counters", p.counters}});
  r.set("perf.libpfm_pmus", pmus);

  r.set("perf.access.hardware", a.hardware);
  r.set("perf.access.hardware_why", a.hardware_why);
  r.set("perf.access.paranoid", a.paranoid);
  r.set("perf.access.kernel", a.kernel);
  r.set("perf.access.kernel_why", a.kernel_why);
  if (a.rdpmc.empty())
    r.unknown("perf.access.rdpmc", "/sys/bus/event_source/devices/cpu/rdpmc absent (no core PMU)");
  else
    r.set("perf.access.rdpmc", a.rdpmc);
  if (a.counters < 0)
    r.unknown("perf.access.counters", a.counters_source.empty() ? "not probed" : a.counters_source);
  else
    r.set("perf.access.counters", a.counters);
  r.set("perf.access.counters_source", a.counters_source);

  const std::string paranoid = "/proc/sys/kernel/perf_event_paranoid";
  r.maybe("perf.perf_event_paranoid", sysfs::read_i64(paranoid),
          paranoid + " unreadable (kernel without perf events?)");
  const std::string nmi = "/proc/sys/kernel/nmi_watchdog";
  r.maybe("perf.nmi_watchdog", sysfs::read_i64(nmi),
          nmi + " absent (kernel without CONFIG_LOCKUP_DETECTOR)");

  json devices = json::array();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/sys/bus/event_source/devices", ec))
    devices.push_back(e.path().filename().string());
  std::sort(devices.begin(), devices.end());
  if (ec)
    r.unknown("perf.event_source_devices", "/sys/bus/event_source/devices: " + ec.message());
  else
    r.set("perf.event_source_devices", devices);
}

void primitives_section(Record& r) {
  const PrimitiveRegistry& reg = PrimitiveRegistry::get();
  r.set("primitives.kernel", std::string(reg.kernel().name()));
  r.set("primitives.kernel_why", reg.kernel_why());
  json avail = json::array();
  for (const Primitive& p : reg.all())
    if (p.available) avail.push_back(std::string(p.name()));
  r.set("primitives.available", avail);
}

void metrics_section(Record& r, const PmuAccess& access) {
  // The file a run without --events would use, chosen the same way.
  std::optional<SelectedEvents> sel;
  try {
    sel = select_events(std::nullopt);
  } catch (const std::exception& e) {
    r.unknown("metrics", std::string("event file: ") + e.what());
    return;
  }
  const EventFile& events = sel->file;
  r.set("metrics.event_file.uarch", events.uarch);
  r.set("metrics.event_file.path", events.path);
  r.set("metrics.event_file.why", sel->why);
  r.set("metrics.event_file.description", events.description);
  r.set("metrics.event_file.provenance", events.provenance);
  json probes = json::array();
  for (const MetricStatus& m : probe_metrics(events, access)) {
    json p = {{"metric", m.metric}, {"available", m.available}, {"meaning", m.meaning}};
    if (!m.via.empty()) p["via"] = m.via;
    if (m.available)
      p["kernel_split"] = m.kernel_split;
    else
      p["reason"] = m.reason;
    probes.push_back(p);
  }
  r.set("metrics.probes", probes);
}

}  // namespace zs::capability
