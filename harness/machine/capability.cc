// Gathers the capability record. Each reader fills its section through
// Record, which keeps the one rule of the record: a value that could not be
// read is null, and "missing" says why, under the same path.
#include "machine/capability.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "primitives/registry.h"
#include "memory/cache_state.h"
#include "common/build_info.h"
#include "counters/counters.h"
#include "common/errors.h"
#include "counters/event_selection.h"
#include "counters/events.h"
#include "memory/hugetlb_pool.h"
#include "common/parse.h"
#include "machine/sysfs.h"
#include "memory/thp_settings.h"
#include "machine/tsc.h"

namespace zs {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class Record {
 public:
  explicit Record(json& root) : root_(root) {}
  // path "cpu.microcode" or "hugetlb.0.free".
  void set(const std::string& path, json v) { root_[pointer(path)] = std::move(v); }
  void unknown(const std::string& path, std::string reason) {
    root_[pointer(path)] = nullptr;
    root_["missing"][path] = std::move(reason);
  }
  template <class T>
  void maybe(const std::string& path, const std::optional<T>& v, std::string reason) {
    if (v)
      set(path, *v);
    else
      unknown(path, std::move(reason));
  }

 private:
  static json::json_pointer pointer(const std::string& path) {
    std::string p = "/" + path;
    for (char& c : p)
      if (c == '.') c = '/';
    return json::json_pointer(p);
  }
  json& root_;
};

// "key : value" lines of /proc/cpuinfo, first processor only.
std::optional<std::string> cpuinfo_field(const std::string& key) {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) break;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = line.substr(0, colon);
    while (!k.empty() && (k.back() == ' ' || k.back() == '\t')) k.pop_back();
    if (k != key) continue;
    std::string v = line.substr(colon + 1);
    v.erase(0, v.find_first_not_of(" \t"));
    return v;
  }
  return std::nullopt;
}

// "0-3,8-11" -> 8.
std::optional<std::uint64_t> count_cpu_list(const std::string& list) {
  std::uint64_t n = 0;
  std::stringstream ss(list);
  for (std::string part; std::getline(ss, part, ',');) {
    auto dash = part.find('-');
    auto lo = parse_u64(part.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : parse_u64(part.substr(dash + 1));
    if (!lo || !hi || *hi < *lo) return std::nullopt;
    n += *hi - *lo + 1;
  }
  return n;
}

std::optional<std::int64_t> read_int(const std::string& path) {
  auto s = sysfs::read(path);
  if (!s || s->empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    long long v = std::stoll(*s, &used);
    if (used != s->size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void cpu_section(Record& r) {
  CpuIdentity cpu = this_cpu();
  r.set("cpu.arch", cpu.arch);
  r.set("cpu.vendor", cpu.vendor);
  if (cpu.arch == "arm64") {
    r.set("cpu.implementer", cpu.implementer);
    r.set("cpu.part", cpu.part);
    r.set("cpu.variant", cpu.variant);
    r.set("cpu.revision", cpu.revision);
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

  if (auto m = cpuinfo_field("microcode"))
    r.set("cpu.microcode", *m);
  else if (auto v = sysfs::read("/sys/devices/system/cpu/cpu0/microcode/version"))
    r.set("cpu.microcode", *v);
  else
    r.unknown("cpu.microcode",
              "no 'microcode' line in /proc/cpuinfo and no "
              "/sys/devices/system/cpu/cpu0/microcode/version (hypervisors and arm64 do not "
              "report it)");

  HypervisorInfo hv = cpu_hypervisor();
  r.maybe("cpu.hypervisor.present", hv.present, hv.source);
  if (hv.present.value_or(false)) {
    r.maybe("cpu.hypervisor.vendor", hv.vendor, "CPUID leaf 0x40000000 vendor string is empty");
    r.set("cpu.hypervisor.max_leaf", fmt::format("0x{:x}", hv.max_leaf));
  }
  r.set("cpu.hypervisor.source", hv.source);

  const std::string online_path = "/sys/devices/system/cpu/online";
  auto online = sysfs::read(online_path);
  r.maybe("cpu.online_list", online, online_path + " unreadable");
  auto n = online ? count_cpu_list(*online) : std::nullopt;
  r.maybe("cpu.online", n,
          online ? online_path + ": unparsable '" + *online + "'" : online_path + " unreadable");

  const std::string smt = "/sys/devices/system/cpu/smt/";
  if (auto a = read_int(smt + "active"))
    r.set("cpu.smt.active", *a != 0);
  else
    r.unknown("cpu.smt.active", smt + "active unreadable (kernel without CONFIG_HOTPLUG_SMT)");
  r.maybe("cpu.smt.control", sysfs::read(smt + "control"), smt + "control unreadable");
}

// The preemption model: the live setting when debugfs shows it, else what
// the boot line or the build says, each with its source.
void preemption(Record& r, const std::string& uname_v, const std::string& cmdline,
                const std::string& release) {
  const std::string dbg = "/sys/kernel/debug/sched/preempt";
  if (auto s = sysfs::read(dbg)) {
    r.set("kernel.preemption.model", sysfs::selected(*s));
    r.set("kernel.preemption.source", dbg);
    return;
  }
  std::istringstream words(uname_v);
  bool dynamic = false, rt = false, full = false;
  for (std::string w; words >> w;) {
    dynamic |= w == "PREEMPT_DYNAMIC";
    rt |= w == "PREEMPT_RT";
    full |= w == "PREEMPT";
  }
  std::istringstream args(cmdline);
  for (std::string a; args >> a;)
    if (dynamic && a.rfind("preempt=", 0) == 0) {
      r.set("kernel.preemption.model", a.substr(8));
      r.set("kernel.preemption.source",
            "/proc/cmdline " + a + " (PREEMPT_DYNAMIC kernel; " + dbg + " unreadable)");
      return;
    }
  if (rt || (full && !dynamic)) {
    r.set("kernel.preemption.model", rt ? "rt" : "full");
    r.set("kernel.preemption.source", "uname -v '" + uname_v + "'");
    return;
  }
  const std::string config = "/boot/config-" + release;
  std::set<std::string> set;
  std::ifstream in(config);
  for (std::string line; std::getline(in, line);)
    if (line.size() > 2 && line.compare(line.size() - 2, 2, "=y") == 0) set.insert(line);
  // PREEMPT_RT stands beside the NONE/VOLUNTARY/FULL/LAZY choice in newer
  // kernels, so it is looked at first.
  static const std::pair<const char*, const char*> kModels[] = {
      {"CONFIG_PREEMPT_RT=y", "rt"},
      {"CONFIG_PREEMPT_NONE=y", "none"},
      {"CONFIG_PREEMPT_VOLUNTARY=y", "voluntary"},
      {"CONFIG_PREEMPT=y", "full"},
      {"CONFIG_PREEMPT_LAZY=y", "lazy"}};
  for (auto [opt, model] : kModels)
    if (set.count(opt)) {
      r.set("kernel.preemption.model", model);
      r.set("kernel.preemption.source",
            config + " " + opt +
                (dynamic ? " (the build default of a PREEMPT_DYNAMIC kernel; " + dbg +
                               " unreadable, so a change at run time would not show)"
                         : ""));
      return;
    }
  r.unknown("kernel.preemption.model",
            dynamic ? "PREEMPT_DYNAMIC kernel (uname -v): the model is chosen at boot or run time, "
                      "and neither " +
                          dbg + " (debugfs), a preempt= boot argument nor " + config + " says which"
                    : "uname -v names no PREEMPT flag: none or voluntary, which it does not "
                      "distinguish, and " +
                          config + " is unreadable");
  r.set("kernel.preemption.source", "uname -v '" + uname_v + "'");
}

void kernel_section(Record& r) {
  utsname u{};
  if (::uname(&u) == 0) {
    r.set("host.name", u.nodename);
    r.set("kernel.release", u.release);
    r.set("kernel.version", u.version);
    r.set("kernel.machine", u.machine);
  } else {
    for (const char* k : {"host.name", "kernel.release", "kernel.version", "kernel.machine"})
      r.unknown(k, "uname() failed");
  }
  auto cmdline = sysfs::read("/proc/cmdline");
  r.maybe("kernel.cmdline", cmdline, "/proc/cmdline unreadable");
  preemption(r, u.version, cmdline.value_or(""), u.release);
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
  r.maybe("perf.perf_event_paranoid", read_int(paranoid),
          paranoid + " unreadable (kernel without perf events?)");
  const std::string nmi = "/proc/sys/kernel/nmi_watchdog";
  r.maybe("perf.nmi_watchdog", read_int(nmi),
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

void thp_section(Record& r) {
  const std::string dir = "/sys/kernel/mm/transparent_hugepage";
  std::string enabled = thp_enabled();
  if (enabled.empty()) {
    const std::string why = dir + "/enabled unreadable: kernel without CONFIG_TRANSPARENT_HUGEPAGE";
    for (const char* k : {"thp.enabled", "thp.defrag", "thp.pmd_bytes", "thp.sizes"})
      r.unknown(k, why);
    return;
  }
  r.set("thp.enabled", enabled);
  std::string defrag = thp_defrag();
  if (defrag.empty())
    r.unknown("thp.defrag", dir + "/defrag unreadable");
  else
    r.set("thp.defrag", defrag);
  if (std::uint64_t pmd = thp_pmd_bytes())
    r.set("thp.pmd_bytes", pmd);
  else
    r.unknown("thp.pmd_bytes", dir + "/hpage_pmd_size unreadable");
  json sizes = json::array();
  for (const ThpSize& s : thp_sizes())
    sizes.push_back({{"bytes", s.bytes}, {"enabled", s.enabled}, {"effective", s.effective}});
  r.set("thp.sizes", sizes);
}

void hugetlb_section(Record& r) {
  const std::string dir = "/sys/kernel/mm/hugepages";
  if (!fs::is_directory(dir)) {
    r.unknown("hugetlb", dir + " absent: kernel without CONFIG_HUGETLBFS");
    return;
  }
  r.set("hugetlb", json::array());
  std::size_t i = 0;
  for (const HugetlbPool& p : hugetlb_pools()) {
    const std::string at = "hugetlb." + std::to_string(i++) + ".";
    r.set(at + "page_bytes", p.page_bytes);
    // Read again rather than taking the pool's numbers, which are 0 for an
    // unreadable file.
    for (auto [key, file] : {std::pair{"total", "nr_hugepages"},
                             {"free", "free_hugepages"},
                             {"resv", "resv_hugepages"},
                             {"surplus", "surplus_hugepages"}})
      r.maybe(at + key, sysfs::read_u64(p.dir + "/" + file), p.dir + "/" + file + " unreadable");
  }
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
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/sys/devices/system/cpu/cpu0/cache", ec)) {
    const std::string name = e.path().filename();
    if (name.rfind("index", 0) != 0) continue;
    auto level = sysfs::read_u64(e.path() / "level");
    auto type = sysfs::read(e.path() / "type");
    auto size = sysfs::read(e.path() / "size");
    auto bytes = size ? parse_size(*size) : std::nullopt;
    if (!level || !type || !bytes || *type == "Instruction") continue;
    json c = {
        {"level", *level}, {"type", *type}, {"bytes", *bytes}, {"source", "sysfs cpu0 " + name}};
    if (auto shared = sysfs::read(e.path() / "shared_cpu_list")) c["shared_cpu_list"] = *shared;
    levels.push_back(c);
  }
  if (levels.empty())
    for (const CpuCache& c : cpuid_caches())
      levels.push_back(
          {{"level", c.level}, {"type", c.type}, {"bytes", c.bytes}, {"source", c.source}});
  std::sort(levels.begin(), levels.end(),
            [](const json& a, const json& b) { return a["level"] < b["level"]; });
  if (levels.empty())
    r.unknown("caches.levels",
              "no /sys/devices/system/cpu/cpu0/cache/index* entries and no CPUID cache leaf");
  else
    r.set("caches.levels", levels);
}

void numa_section(Record& r) {
  const std::string dir = "/sys/devices/system/node";
  auto online = sysfs::read(dir + "/online");
  if (!online) {
    r.unknown("numa", dir + "/online unreadable: kernel without CONFIG_NUMA");
    return;
  }
  r.set("numa.online_list", *online);
  r.maybe("numa.nodes", count_cpu_list(*online), "unparsable node list '" + *online + "'");
  r.set("numa.per_node", json::array());
  std::vector<std::uint64_t> ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename();
    if (name.rfind("node", 0) != 0) continue;
    if (auto id = parse_u64(std::string_view(name).substr(4))) ids.push_back(*id);
  }
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::string at = "numa.per_node." + std::to_string(i) + ".";
    const std::string meminfo = fmt::format("{}/node{}/meminfo", dir, ids[i]);
    r.set(at + "node", ids[i]);
    // "Node 0 MemTotal:        6776608 kB"
    std::optional<std::uint64_t> total, free;
    std::ifstream in(meminfo);
    for (std::string line; std::getline(in, line);) {
      std::istringstream w(line);
      std::string node, id, key, unit;
      std::uint64_t kb;
      if (!(w >> node >> id >> key >> kb >> unit) || unit != "kB") continue;
      if (key == "MemTotal:") total = kb << 10;
      if (key == "MemFree:") free = kb << 10;
    }
    r.maybe(at + "mem_total_bytes", total, meminfo + ": no MemTotal line");
    r.maybe(at + "mem_free_bytes", free, meminfo + ": no MemFree line");
  }
}

void cpufreq_section(Record& r) {
  const std::string cpu = "/sys/devices/system/cpu/";
  const std::string policy = cpu + "cpu0/cpufreq/";
  const bool has_policy = fs::is_directory(policy);
  const std::string no_driver =
      "not exposed: " + policy + " absent (no cpufreq driver; usual in a VM)";
  r.maybe("cpufreq.driver", sysfs::read(policy + "scaling_driver"),
          has_policy ? policy + "scaling_driver unreadable" : no_driver);
  r.maybe("cpufreq.governor", sysfs::read(policy + "scaling_governor"),
          has_policy ? policy + "scaling_governor unreadable" : no_driver);
  // Three places, by driver: acpi-cpufreq (global boost), amd-pstate and
  // newer drivers (per policy), intel_pstate (no_turbo, inverted).
  if (auto b = read_int(cpu + "cpufreq/boost")) {
    r.set("cpufreq.boost", *b != 0);
    r.set("cpufreq.boost_source", cpu + "cpufreq/boost");
  } else if (auto p = read_int(policy + "boost")) {
    r.set("cpufreq.boost", *p != 0);
    r.set("cpufreq.boost_source", policy + "boost");
  } else if (auto t = read_int(cpu + "intel_pstate/no_turbo")) {
    r.set("cpufreq.boost", *t == 0);
    r.set("cpufreq.boost_source", cpu + "intel_pstate/no_turbo (inverted)");
  } else {
    r.unknown("cpufreq.boost", "not exposed: no " + cpu + "cpufreq/boost, " + policy + "boost or " +
                                   cpu + "intel_pstate/no_turbo");
  }
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

std::string now_utc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

const std::vector<std::string>& capability_sections() {
  static const std::vector<std::string> k = {"schema",       "zeroscope_version",
                                             "collected_at", "host",
                                             "cpu",          "kernel",
                                             "tsc",          "perf",
                                             "thp",          "hugetlb",
                                             "caches",       "numa",
                                             "cpufreq",      "primitives",
                                             "metrics",      "missing"};
  return k;
}

json capability_record() {
  json root = json::object();
  root["missing"] = json::object();
  Record r(root);
  r.set("schema", kCapabilitySchema);
  r.set("zeroscope_version", build_version());
  r.set("zeroscope_commit", build_git_commit());
  r.set("collected_at", now_utc());
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
