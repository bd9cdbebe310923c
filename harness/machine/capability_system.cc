// The record's kernel, thp, hugetlb, numa and cpufreq sections: what the
// kernel is and how it is set up for huge pages, memory and frequency.
#include <sys/utsname.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "common/parse.h"
#include "machine/capability_record.h"
#include "machine/cpu_list.h"
#include "machine/procfs.h"
#include "machine/sysfs.h"
#include "memory/hugetlb_pool.h"
#include "memory/thp_settings.h"

namespace zs::capability {

using nlohmann::json;
namespace fs = std::filesystem;

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
  r.maybe("kernel.cmdline", sysfs::read("/proc/cmdline"), "/proc/cmdline unreadable");
  kernel_zeroing_section(r);
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

void numa_section(Record& r) {
  const std::string dir = "/sys/devices/system/node";
  auto online = sysfs::read(dir + "/online");
  if (!online) {
    r.unknown("numa", dir + "/online unreadable: kernel without CONFIG_NUMA");
    return;
  }
  r.set("numa.online_list", *online);
  r.maybe("numa.nodes", node_list_count(*online), "unparsable node list '" + *online + "'");
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
    const procfs::NodeMemory m = procfs::node_meminfo(sysfs::read(meminfo).value_or(""));
    r.maybe(at + "mem_total_bytes", m.total_bytes, meminfo + ": no MemTotal line");
    r.maybe(at + "mem_free_bytes", m.free_bytes, meminfo + ": no MemFree line");
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
  if (auto b = sysfs::read_i64(cpu + "cpufreq/boost")) {
    r.set("cpufreq.boost", *b != 0);
    r.set("cpufreq.boost_source", cpu + "cpufreq/boost");
  } else if (auto p = sysfs::read_i64(policy + "boost")) {
    r.set("cpufreq.boost", *p != 0);
    r.set("cpufreq.boost_source", policy + "boost");
  } else if (auto t = sysfs::read_i64(cpu + "intel_pstate/no_turbo")) {
    r.set("cpufreq.boost", *t == 0);
    r.set("cpufreq.boost_source", cpu + "intel_pstate/no_turbo (inverted)");
  } else {
    r.unknown("cpufreq.boost", "not exposed: no " + cpu + "cpufreq/boost, " + policy + "boost or " +
                                   cpu + "intel_pstate/no_turbo");
  }
}

}  // namespace zs::capability
