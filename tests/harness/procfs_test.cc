// The /proc and /sys parsers of machine/ on samples from other machines
// (tests/fixtures/procfs/): x86 from AMD and Intel, a KVM guest, arm64.
#include "machine/procfs.h"

#include <numa.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "machine/cache_topology.h"
#include "machine/cpu_identity.h"
#include "machine/cpu_list.h"
#include "machine/sysfs.h"
#include "support/files.h"

namespace zs {
namespace {

const std::string kDir = std::string(ZS_SOURCE_DIR) + "/tests/fixtures/procfs/";

std::string fixture(const std::string& name) { return test::fixture_text("procfs", name); }

TEST(Cpuinfo, FirstValueOfEveryKeyIsCpu0s) {
  auto f = procfs::cpuinfo_fields(fixture("cpuinfo-amd-epyc-9654.txt"));
  EXPECT_EQ(f["vendor_id"], "AuthenticAMD");
  EXPECT_EQ(f["model name"], "AMD EPYC 9654 96-Core Processor");
  EXPECT_EQ(f["microcode"], "0xa101148");
  EXPECT_EQ(f["processor"], "0");
  EXPECT_EQ(f["cpu MHz"], "3700.000");  // cpu1 says 1500.000
  EXPECT_EQ(f["power management"], "ts ttp tm hwpstate cpb eff_freq_ro [13] [14]");

  auto i = procfs::cpuinfo_fields(fixture("cpuinfo-intel-xeon-8480.txt"));
  EXPECT_EQ(i["model name"], "Intel(R) Xeon(R) Platinum 8480+");
  EXPECT_EQ(i["microcode"], "0x2b000461");
  EXPECT_EQ(i["power management"], "");  // a key with no value

  auto vm = procfs::cpuinfo_fields(fixture("cpuinfo-x86-kvm-guest.txt"));
  EXPECT_EQ(vm.count("microcode"), 0u) << "hypervisors hide it";

  auto arm = procfs::cpuinfo_fields(fixture("cpuinfo-arm64-neoverse-n1.txt"));
  EXPECT_EQ(arm["CPU implementer"], "0x41");
  EXPECT_EQ(arm["CPU part"], "0xd0c");
  EXPECT_EQ(arm["CPU architecture"], "8");
  EXPECT_EQ(arm.count("model name"), 0u);

  EXPECT_TRUE(procfs::cpuinfo_fields("").empty());
  EXPECT_TRUE(procfs::cpuinfo_fields("no colon here\n: no key\n").empty());
}

TEST(Cpuinfo, FlagsAreTheKernelsWords) {
  auto amd = procfs::cpuinfo_flags(fixture("cpuinfo-amd-epyc-9654.txt"));
  EXPECT_TRUE(amd.count("constant_tsc") && amd.count("nonstop_tsc") && amd.count("rep_good"));
  EXPECT_TRUE(amd.count("clzero") && amd.count("topoext"));
  EXPECT_EQ(amd.count("hypervisor"), 0u);
  auto vm = procfs::cpuinfo_flags(fixture("cpuinfo-x86-kvm-guest.txt"));
  EXPECT_TRUE(vm.count("hypervisor") && vm.count("constant_tsc"));
  EXPECT_EQ(vm.count("nonstop_tsc"), 0u);
  // arm64 has "Features", not "flags": nothing here, and tsc_info says why.
  EXPECT_TRUE(procfs::cpuinfo_flags(fixture("cpuinfo-arm64-neoverse-n1.txt")).empty());
}

TEST(CpuIdentity, X86FromTheSignatureArm64FromMidr) {
  auto intel = cpu_identity({"x86_64", "GenuineIntel", 6, 0x8f, 8},
                            procfs::cpuinfo_fields(fixture("cpuinfo-intel-xeon-8480.txt")));
  EXPECT_EQ(intel.arch, "x86_64");
  EXPECT_EQ(intel.vendor, "GenuineIntel");
  EXPECT_EQ(intel.model, 0x8fu);
  EXPECT_EQ(intel.model_name, "Intel(R) Xeon(R) Platinum 8480+");
  EXPECT_EQ(intel.implementer, 0u);

  auto arm = cpu_identity({"arm64", "", 0, 0, 0},
                          procfs::cpuinfo_fields(fixture("cpuinfo-arm64-neoverse-n1.txt")));
  EXPECT_EQ(arm.arch, "arm64");
  EXPECT_EQ(arm.vendor, "ARM");
  EXPECT_EQ(arm.implementer, 0x41u);
  EXPECT_EQ(arm.part, 0xd0cu);
  EXPECT_EQ(arm.variant, 3u);
  EXPECT_EQ(arm.revision, 1u);
  EXPECT_EQ(arm.model_name, "");

  auto unknown = cpu_identity({"arm64", "", 0, 0, 0}, {{"CPU implementer", "0x99"}});
  EXPECT_EQ(unknown.vendor, "implementer 153");
}

TEST(NodeMeminfo, TotalAndFreeInBytes) {
  auto m = procfs::node_meminfo(fixture("node0-meminfo.txt"));
  EXPECT_EQ(m.total_bytes, 263785316ull << 10);
  EXPECT_EQ(m.free_bytes, 251177984ull << 10);
  auto partial = procfs::node_meminfo(fixture("node1-meminfo-no-memfree.txt"));
  EXPECT_EQ(partial.total_bytes, 264204184ull << 10);
  EXPECT_EQ(partial.free_bytes, std::nullopt);
  EXPECT_EQ(procfs::node_meminfo("").total_bytes, std::nullopt);
  EXPECT_EQ(procfs::node_meminfo("Node 0 MemTotal: 12 MB\n").total_bytes, std::nullopt);
}

TEST(Cmdline, LastValueOfAKeyWins) {
  EXPECT_EQ(procfs::cmdline_value(fixture("cmdline-ubuntu-preempt.txt"), "preempt"), "full");
  EXPECT_EQ(procfs::cmdline_value(fixture("cmdline-plain.txt"), "preempt"), std::nullopt);
  EXPECT_EQ(procfs::cmdline_value(fixture("cmdline-plain.txt"), "hugepagesz"), "1G");
  EXPECT_EQ(procfs::cmdline_value(fixture("cmdline-plain.txt"), "quiet"), std::nullopt);
  EXPECT_EQ(procfs::cmdline_value("nopreempt=1", "preempt"), std::nullopt);
}

TEST(SelectedChoice, BracketsAndParentheses) {
  EXPECT_EQ(procfs::selected_choice("always [madvise] never"), "madvise");
  EXPECT_EQ(procfs::selected_choice(fixture("preempt-full-lazy.txt")), "full");
  EXPECT_EQ(procfs::selected_choice(fixture("preempt-none.txt")), "none");
  EXPECT_EQ(procfs::selected_choice("2097152"), "2097152");
  EXPECT_EQ(procfs::selected_choice("open [but not closed"), "open [but not closed");
  EXPECT_EQ(sysfs::selected("none voluntary (full) lazy"), "full");
}

TEST(KernelConfig, OnlyOptionsSetToY) {
  auto set = procfs::config_enabled(fixture("config-preempt-dynamic-voluntary.txt"));
  EXPECT_TRUE(set.count("CONFIG_PREEMPT_VOLUNTARY") && set.count("CONFIG_PREEMPT_DYNAMIC"));
  EXPECT_EQ(set.count("CONFIG_PREEMPT_NONE"), 0u);  // "# ... is not set"
  EXPECT_EQ(set.count("CONFIG_PREEMPT"), 0u);
  EXPECT_EQ(set.count("CONFIG_HUGETLBFS"), 0u);  // =m
  EXPECT_EQ(set.count("CONFIG_LOCALVERSION"), 0u);
}

TEST(SysfsCaches, DataAndUnifiedByLevel) {
  auto caches = sysfs_caches(kDir + "sysfs-cache-epyc-9654");
  ASSERT_EQ(caches.size(), 3u);  // the instruction cache is left out
  EXPECT_EQ(caches[0].level, 1);
  EXPECT_EQ(caches[0].type, "Data");
  EXPECT_EQ(caches[0].bytes, 32u << 10);
  EXPECT_EQ(caches[1].bytes, 1u << 20);
  EXPECT_EQ(caches[2].level, 3);
  EXPECT_EQ(caches[2].bytes, 32u << 20);
  EXPECT_EQ(caches[2].source, "sysfs cpu0 index3");
  EXPECT_EQ(caches[2].shared_cpu_list, "0-7,96-103");
  EXPECT_TRUE(sysfs_caches(kDir + "no-such-dir").empty());
}

TEST(CpuList, CountedByLibnuma) {
  const int n = numa_num_configured_cpus();
  ASSERT_GE(n, 1);
  EXPECT_EQ(cpu_list_count("0"), 1u);
  EXPECT_EQ(cpu_list_count(""), 0u);
  EXPECT_EQ(cpu_list_count("0-" + std::to_string(n - 1)), std::uint64_t(n));
  if (n >= 2) {
    EXPECT_EQ(cpu_list_count("0," + std::to_string(n - 1)), 2u);
  }
  EXPECT_EQ(cpu_list_count("zero"), std::nullopt);
  // Beyond this machine's CPUs: libnuma refuses (and warns).
  EXPECT_EQ(cpu_list_count("0-" + std::to_string(n + 4096)), std::nullopt);
  // The live file reads as the kernel's count of online CPUs.
  if (auto online = sysfs::read("/sys/devices/system/cpu/online")) {
    EXPECT_EQ(cpu_list_count(*online), std::uint64_t(::sysconf(_SC_NPROCESSORS_ONLN)));
  }
  EXPECT_EQ(node_list_count("0"), 1u);
  EXPECT_EQ(cpu_list_text({0, 2, 5}), "0,2,5");
  EXPECT_EQ(cpu_list_text({}), "");
}

}  // namespace
}  // namespace zs
