// Emulation detection on recorded inputs (tests/fixtures/procfs/README.md):
// what an arm64 build saw under qemu-aarch64 7.2 fires; a native x86_64 and
// a native arm64 machine do not. The warning a report prints, from records
// that say emulated, not emulated, or nothing (older results), and on the
// results directory recorded under qemu (tests/fixtures/results/qemu-arm64).
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "machine/capability.h"
#include "machine/emulation.h"
#include "platform/arm64_cpu.h"
#include "report/emulation_warning.h"
#include "report/fleet_capability.h"
#include "report/report_header.h"
#include "support/files.h"
#include "support/run_binary.h"

namespace zs {
namespace {

std::string procfs(const std::string& name) { return test::fixture_text("procfs", name); }

const std::string kQemuCpuinfo = "cpuinfo-x86-read-under-qemu-aarch64.txt";

std::uint64_t qemu_midr() {
  return *platform::arm64::parse_midr_text(procfs("mrs-midr_el1-qemu-7.2-max.txt"));
}

EmulationInputs inputs(std::string arch, std::optional<std::string> cpuinfo,
                       std::optional<std::uint64_t> midr, std::string uname) {
  EmulationInputs in;
  in.build_arch = std::move(arch);
  in.cpuinfo = std::move(cpuinfo);
  in.midr_register = midr;
  in.uname_machine = std::move(uname);
  return in;
}

TEST(Emulation, CpuinfoArchitecture) {
  EXPECT_EQ(cpuinfo_arch(procfs(kQemuCpuinfo)), "x86_64");
  EXPECT_EQ(cpuinfo_arch(procfs("cpuinfo-amd-epyc-9654.txt")), "x86_64");
  EXPECT_EQ(cpuinfo_arch(procfs("cpuinfo-intel-xeon-8480.txt")), "x86_64");
  EXPECT_EQ(cpuinfo_arch(procfs("cpuinfo-arm64-neoverse-n1.txt")), "arm64");
  EXPECT_EQ(cpuinfo_arch(procfs("cpuinfo-arm64-ampereone-constructed.txt")), "arm64");
  EXPECT_EQ(cpuinfo_arch("processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc\n"), "");
  EXPECT_EQ(cpuinfo_arch(""), "");
}

TEST(Emulation, QemuUserAsRecordedFiresBothSignals) {
  // An arm64 build under qemu-aarch64 7.2 on this x86_64 host.
  const Emulation e =
      detect_emulation(inputs("arm64", procfs(kQemuCpuinfo), qemu_midr(), "aarch64"));
  EXPECT_EQ(e.kind, "qemu-user");
  ASSERT_EQ(e.evidence.size(), 2u);
  EXPECT_EQ(e.evidence[0].signal, "/proc/cpuinfo of an x86_64 kernel");
  EXPECT_EQ(e.evidence[1].signal, "MIDR_EL1 0x000f0510: implementer 0x00");
  EXPECT_NE(e.evidence[0].why.find("another architecture's"), std::string::npos);
  EXPECT_NE(e.evidence[1].why.find("reserves for software use"), std::string::npos);
  // uname agrees with the build under qemu: noted, never a signal.
  bool noted_uname = false;
  for (const std::string& c : e.checked)
    noted_uname = noted_uname || c.find("uname -m: 'aarch64' (not a signal") == 0;
  EXPECT_TRUE(noted_uname);
}

TEST(Emulation, ForeignKernelAloneIsUserMode) {
  // No HWCAP_CPUID (no MIDR read): another architecture's kernel still says
  // user-mode emulation, without naming the emulator.
  const Emulation e =
      detect_emulation(inputs("arm64", procfs(kQemuCpuinfo), std::nullopt, "aarch64"));
  EXPECT_EQ(e.kind, "user-mode");
  EXPECT_EQ(e.evidence.size(), 1u);
  // An x86_64 program on an arm64 kernel (FEX, box64, qemu-x86_64).
  EXPECT_EQ(detect_emulation(
                inputs("x86_64", procfs("cpuinfo-arm64-neoverse-n1.txt"), std::nullopt, "x86_64"))
                .kind,
            "user-mode");
}

TEST(Emulation, NativeMachinesDoNotFire) {
  // Native x86_64: its own kernel's cpuinfo, no MIDR.
  for (const char* f : {"cpuinfo-x86-kvm-guest.txt", "cpuinfo-amd-epyc-9654.txt",
                        "cpuinfo-intel-xeon-8480.txt", kQemuCpuinfo.c_str()}) {
    const Emulation e = detect_emulation(inputs("x86_64", procfs(f), std::nullopt, "x86_64"));
    EXPECT_EQ(e.kind, "none") << f;
    EXPECT_TRUE(e.evidence.empty()) << f;
    EXPECT_FALSE(e.emulated()) << f;
  }
  // Native arm64: an arm64 kernel's cpuinfo and the kernel's MIDR answer.
  EmulationInputs n1 =
      inputs("arm64", procfs("cpuinfo-arm64-neoverse-n1.txt"),
             *platform::arm64::parse_midr_text(procfs("midr_el1-neoverse-n1-r3p1.txt")), "aarch64");
  n1.binfmt_qemu = {"qemu-x86_64"};  // qemu installed for other guests: not a signal
  const Emulation e = detect_emulation(n1);
  EXPECT_EQ(e.kind, "none");
  EXPECT_TRUE(e.evidence.empty());
  // Without HWCAP_CPUID, and with cpuinfo unreadable: nothing fires.
  EXPECT_EQ(detect_emulation(inputs("arm64", procfs("cpuinfo-arm64-ampereone-constructed.txt"),
                                    std::nullopt, "aarch64"))
                .kind,
            "none");
  const Emulation blind = detect_emulation(inputs("arm64", std::nullopt, std::nullopt, "aarch64"));
  EXPECT_EQ(blind.kind, "none");
  EXPECT_EQ(blind.checked.front(), "/proc/cpuinfo: unreadable, not checked");
}

TEST(Emulation, SoftwareCpuOnItsOwnKernel) {
  // qemu-system's TCG "max" CPU under an arm64 guest kernel: cpuinfo is
  // arm64's, the implementer 0x00.
  std::string cpuinfo = procfs("cpuinfo-arm64-neoverse-n1.txt");
  const auto at = cpuinfo.find("0x41");
  ASSERT_NE(at, std::string::npos);
  cpuinfo.replace(at, 4, "0x00");
  const Emulation e = detect_emulation(inputs("arm64", cpuinfo, qemu_midr(), "aarch64"));
  EXPECT_EQ(e.kind, "software-cpu");
  EXPECT_EQ(e.evidence.size(), 2u);
}

TEST(Emulation, MadviseThatNeverReachesTheKernel) {
  // qemu-user 7.2: MADV_HUGEPAGE answered 0, and smaps shows no "hg".
  EmulationInputs q = inputs("arm64", procfs(kQemuCpuinfo), qemu_midr(), "aarch64");
  q.madvise_hugepage_seen = false;
  const Emulation e = detect_emulation(q);
  EXPECT_EQ(e.kind, "qemu-user");
  EXPECT_TRUE(e.madvise_ignored);
  ASSERT_EQ(e.evidence.size(), 3u);
  EXPECT_EQ(e.evidence[2].signal, "madvise(MADV_HUGEPAGE) ignored");
  // Alone, on a kernel of this architecture: user-mode emulation all the same.
  EmulationInputs alone =
      inputs("x86_64", procfs("cpuinfo-x86-kvm-guest.txt"), std::nullopt, "x86_64");
  alone.madvise_hugepage_seen = false;
  EXPECT_EQ(detect_emulation(alone).kind, "user-mode");
  // Linux set VM_HUGEPAGE: not a signal.
  alone.madvise_hugepage_seen = true;
  EXPECT_EQ(detect_emulation(alone).kind, "none");
  EXPECT_FALSE(detect_emulation(alone).madvise_ignored);
}

TEST(Emulation, ThpThroughMadviseRefusedWhereMadviseIsIgnored) {
  EmulationInputs q = inputs("arm64", procfs(kQemuCpuinfo), qemu_midr(), "aarch64");
  q.madvise_hugepage_seen = false;
  const nlohmann::json rec = emulation_json(detect_emulation(q));
  const std::string path = "/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled";
  auto why = emulated_thp_problem(rec, 2u << 20, "madvise", path);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why,
            "THP 2 MiB needs madvise(MADV_HUGEPAGE), which this emulator ignores (qemu-user "
            "emulation; qemu-user 7.2 answers it 0 without passing it on), and " +
                path +
                " is 'madvise': no folio would be huge; run natively, or set it to "
                "'always' for the run (echo always > " +
                path + ")");
  EXPECT_FALSE(emulated_thp_problem(rec, 2u << 20, "always", path));
  // Native, and records older than the field: nothing to refuse.
  EXPECT_FALSE(emulated_thp_problem(emulation_json(Emulation{}), 2u << 20, "madvise", path));
  EXPECT_FALSE(emulated_thp_problem(nlohmann::json::object(), 2u << 20, "madvise", path));
}

TEST(Emulation, HugetlbRefusedWhereItsMmapFailsUnderEmulation) {
  EmulationInputs q = inputs("arm64", procfs(kQemuCpuinfo), qemu_midr(), "aarch64");
  q.hugetlb_mmap_error = "Invalid argument";  // qemu-user 7.2, recorded
  const nlohmann::json rec = emulation_json(detect_emulation(q));
  EXPECT_EQ(rec["emulation_hugetlb_mmap"], "Invalid argument");
  auto why = emulated_hugetlb_problem(rec, 2u << 20);
  ASSERT_TRUE(why);
  EXPECT_EQ(*why,
            "hugetlb 2 MiB: mmap(MAP_HUGETLB) fails under this emulator (qemu-user emulation: "
            "Invalid argument; qemu-user 7.2 places guest mappings itself, where a huge page "
            "cannot go), whatever the pool holds; measure hugetlb natively");
  // Native: a failing hugetlb mmap is the pool's business, not this check's.
  EmulationInputs native =
      inputs("x86_64", procfs("cpuinfo-x86-kvm-guest.txt"), std::nullopt, "x86_64");
  native.hugetlb_mmap_error = "Cannot allocate memory";
  EXPECT_FALSE(emulated_hugetlb_problem(emulation_json(detect_emulation(native)), 2u << 20));
  q.hugetlb_mmap_error = "";
  EXPECT_FALSE(emulated_hugetlb_problem(emulation_json(detect_emulation(q)), 2u << 20));
}

TEST(Emulation, RecordFieldsAndWarning) {
  const Emulation e =
      detect_emulation(inputs("arm64", procfs(kQemuCpuinfo), qemu_midr(), "aarch64"));
  nlohmann::json rec = emulation_json(e);
  EXPECT_EQ(rec["emulation"], "qemu-user");
  EXPECT_EQ(rec["emulation_evidence"][0]["signal"], "/proc/cpuinfo of an x86_64 kernel");
  rec["cpu"]["arch"] = "arm64";
  EXPECT_EQ(emulation_warning(rec),
            "measured under qemu-user emulation (/proc/cpuinfo of an x86_64 kernel; MIDR_EL1 "
            "0x000f0510: implementer 0x00): timings and counters describe the emulator, not an "
            "arm64 CPU");
  // Not emulated, and older records without the field: no warning.
  EXPECT_EQ(emulation_warning(emulation_json(Emulation{})), "");
  EXPECT_EQ(emulation_warning(nlohmann::json::object()), "");
  EXPECT_EQ(emulation_warning(nlohmann::json()), "");
}

TEST(Emulation, ThisProcessRecordsAVerdict) {
  // Whatever this machine is (the suite also runs under qemu), a verdict
  // other than "none" comes with its evidence, and "none" with none.
  const EmulationInputs in = this_emulation_inputs();
  const Emulation e = detect_emulation(in);
  if (in.madvise_hugepage_seen) {
    EXPECT_EQ(e.madvise_ignored, !*in.madvise_hugepage_seen);
  }
  EXPECT_EQ(e.emulated(), !e.evidence.empty());
  EXPECT_FALSE(e.checked.empty());
}

TEST(Emulation, InfoShowsTheVerdictAndItsEvidence) {
  nlohmann::json rec = emulation_json(
      detect_emulation(inputs("arm64", procfs(kQemuCpuinfo), qemu_midr(), "aarch64")));
  rec["missing"] = nlohmann::json::object();
  const std::string text = format_capability_text(rec);
  EXPECT_NE(text.find("qemu-user: timings and counters describe the emulator"), std::string::npos)
      << text;
  EXPECT_NE(text.find("which Arm reserves for software use"), std::string::npos);
  // A record without the field (older results) shows no emulation row.
  EXPECT_EQ(format_capability_text(nlohmann::json{{"missing", nlohmann::json::object()}})
                .find("emulation"),
            std::string::npos);
}

// ---- the results directory recorded under qemu-aarch64 -------------------

const std::string kQemuDir = "tests/fixtures/results/qemu-arm64";

nlohmann::json meta_of(const std::string& dir) {
  std::ifstream in(std::string(ZS_SOURCE_DIR) + "/" + dir + "/meta.json");
  return nlohmann::json::parse(in);
}

TEST(EmulationReport, HeaderLeadsWithTheWarning) {
  const MachineHeader h = machine_header(meta_of(kQemuDir));
  ASSERT_FALSE(h.emulation_warning.empty());
  const auto lines = machine_header_lines(h);
  EXPECT_EQ(lines.front().rfind("WARNING: measured under qemu-user emulation (", 0), 0u);
  EXPECT_EQ(machine_header_json(h)["emulation_warning"], h.emulation_warning);
  // A native record's header is as it was: no warning line, no json key.
  const MachineHeader native = machine_header(meta_of("tests/fixtures/results/quick-a"));
  EXPECT_TRUE(native.emulation_warning.empty());
  EXPECT_FALSE(machine_header_json(native).contains("emulation_warning"));
}

testing::Result run(const std::string& args) {
  return testing::run_zeroscope(args, {"cd '" + std::string(ZS_SOURCE_DIR) + "' &&", ""});
}

TEST(EmulationReport, EveryFormatSaysIt) {
  const std::string w = "measured under qemu-user emulation (";
  auto text = run("report " + kQemuDir);
  ASSERT_EQ(text.rc, 0) << text.err;
  // The line after the title.
  const auto second = text.out.substr(text.out.find('\n') + 1);
  EXPECT_EQ(second.rfind("WARNING: " + w, 0), 0u) << text.out;
  auto md = run("report " + kQemuDir + " --format markdown");
  ASSERT_EQ(md.rc, 0) << md.err;
  EXPECT_NE(md.out.find("WARNING: " + w), std::string::npos);
  auto js = run("report " + kQemuDir + " --format json");
  ASSERT_EQ(js.rc, 0) << js.err;
  const auto j = nlohmann::json::parse(js.out);
  EXPECT_EQ(j["machine"]["emulation_warning"].get<std::string>().rfind(w, 0), 0u);
}

TEST(EmulationReport, FleetHostThatRanEmulated) {
  // report --by host: a row of its own, first, only when a host ran emulated.
  const nlohmann::json emulated = meta_of(kQemuDir);
  const nlohmann::json native = meta_of("tests/fixtures/results/quick-a");
  const FleetCapability both = fleet_capability({&emulated, &native}, {});
  ASSERT_FALSE(both.fields.empty());
  EXPECT_EQ(both.fields.front().first, "emulation");
  EXPECT_EQ(both.values.front()[0].rfind("WARNING: measured under qemu-user emulation", 0), 0u);
  EXPECT_EQ(both.values.front()[1], "none");
  const FleetCapability natives = fleet_capability({&native, &native}, {});
  for (const auto& [key, label] : natives.fields) EXPECT_NE(key, "emulation");
}

}  // namespace
}  // namespace zs
