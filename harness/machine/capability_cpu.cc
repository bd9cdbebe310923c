// The record's cpu, tsc and caches sections: what the CPU is, its
// timestamp counter, and its caches as sysfs (else the CPU) describes them.
#include <algorithm>

#include <fmt/format.h>

#include "common/errors.h"
#include "counters/events.h"
#include "machine/cache_topology.h"
#include "machine/capability_record.h"
#include "machine/cpu_list.h"
#include "machine/procfs.h"
#include "machine/sysfs.h"
#include "machine/tsc.h"
#include "memory/cache_state.h"
#include "platform/platform.h"

namespace zs::capability {

using nlohmann::json;

void cpu_section(Record& r) {
  const auto cpuinfo = procfs::cpuinfo_fields(sysfs::read("/proc/cpuinfo").value_or(""));
  CpuIdentity cpu = this_cpu();
  r.set("cpu.arch", cpu.arch);
  r.set("cpu.vendor", cpu.vendor);
  if (cpu.arch == "arm64") {
    r.set("cpu.implementer", cpu.implementer);
    r.set("cpu.part", cpu.part);
    r.set("cpu.variant", cpu.variant);
    r.set("cpu.revision", cpu.revision);
    arm64_section(r, cpu);
  } else {
    r.set("cpu.family", cpu.family);
    r.set("cpu.model", cpu.model);
    r.set("cpu.stepping", cpu.stepping);
  }
  if (cpu.model_name.empty())
    r.unknown("cpu.model_name", "no 'model name' line in /proc/cpuinfo");
  else
    r.set("cpu.model_name", cpu.model_name);
  UarchChoice u = uarch_for(cpu);
  r.set("cpu.uarch", u.uarch);
  r.set("cpu.uarch_why", u.why);

  if (auto m = cpuinfo.find("microcode"); m != cpuinfo.end())
    r.set("cpu.microcode", m->second);
  else if (auto v = sysfs::read("/sys/devices/system/cpu/cpu0/microcode/version"))
    r.set("cpu.microcode", *v);
  else
    r.unknown("cpu.microcode",
              "no 'microcode' line in /proc/cpuinfo and no "
              "/sys/devices/system/cpu/cpu0/microcode/version (hypervisors and arm64 do not "
              "report it)");

  const platform::Hypervisor hv = platform::hypervisor();
  r.maybe("cpu.hypervisor.present", hv.present, hv.source);
  if (hv.present.value_or(false)) {
    r.maybe("cpu.hypervisor.vendor", hv.vendor, "the hypervisor's vendor string is empty");
    r.set("cpu.hypervisor.max_leaf", fmt::format("0x{:x}", hv.max_leaf));
  }
  r.set("cpu.hypervisor.source", hv.source);

  const std::string online_path = "/sys/devices/system/cpu/online";
  auto online = sysfs::read(online_path);
  r.maybe("cpu.online_list", online, online_path + " unreadable");
  auto n = online ? cpu_list_count(*online) : std::nullopt;
  r.maybe("cpu.online", n,
          online ? online_path + ": unparsable '" + *online + "'" : online_path + " unreadable");

  const std::string smt = "/sys/devices/system/cpu/smt/";
  if (auto a = sysfs::read_i64(smt + "active"))
    r.set("cpu.smt.active", *a != 0);
  else
    r.unknown("cpu.smt.active", smt + "active unreadable (kernel without CONFIG_HOTPLUG_SMT)");
  r.maybe("cpu.smt.control", sysfs::read(smt + "control"), smt + "control unreadable");
}

void tsc_section(Record& r) {
  TscInfo t = tsc_info();
  if (t.counter.empty())
    r.unknown("tsc.counter", "no timestamp counter on this architecture");
  else
    r.set("tsc.counter", t.counter);
  r.maybe("tsc.hz", t.hz, t.source);
  r.set("tsc.source", t.source);
  if (t.calibration) {
    r.set("tsc.calibration.runs_hz", t.calibration->runs_hz);
    r.set("tsc.calibration.each_ms", t.calibration->each.count());
    r.set("tsc.calibration.spread_hz", t.calibration->spread_hz);
    r.set("tsc.calibration.spread_ppm", t.calibration->spread_hz / t.calibration->hz * 1e6);
    r.set("tsc.calibration.clock", "CLOCK_MONOTONIC");
  }
  r.set("tsc.skipped", t.skipped);
  r.maybe("tsc.invariant", t.invariant, t.invariant_source);
  r.set("tsc.invariant_source", t.invariant_source);
  r.maybe("tsc.constant_tsc", t.constant_tsc, t.flags_source);
  r.maybe("tsc.nonstop_tsc", t.nonstop_tsc, t.flags_source);
}

void caches_section(Record& r) {
  try {
    LlcInfo llc = detect_llc(std::nullopt);
    r.set("caches.llc.bytes", llc.bytes);
    r.set("caches.llc.source", llc.source);
  } catch (const SetupError& e) {
    r.unknown("caches.llc", std::string("detect_llc: ") + e.what());
  }
  json levels = json::array();
  for (const SysfsCache& c : sysfs_caches()) {
    json l = {{"level", c.level}, {"type", c.type}, {"bytes", c.bytes}, {"source", c.source}};
    if (c.shared_cpu_list) l["shared_cpu_list"] = *c.shared_cpu_list;
    levels.push_back(l);
  }
  if (levels.empty())
    for (const platform::CacheLevel& c : platform::cpu_caches())
      levels.push_back(
          {{"level", c.level}, {"type", c.type}, {"bytes", c.bytes}, {"source", c.source}});
  std::stable_sort(levels.begin(), levels.end(),
                   [](const json& a, const json& b) { return a["level"] < b["level"]; });
  if (levels.empty())
    r.unknown("caches.levels",
              "no /sys/devices/system/cpu/cpu0/cache/index* entries and no cache description "
              "from the CPU");
  else
    r.set("caches.levels", levels);
}

}  // namespace zs::capability
