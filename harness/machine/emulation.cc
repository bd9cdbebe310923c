// Emulation detection (emulation.h): pure signals over recorded text, and
// the readers of this process's inputs.
#include "machine/emulation.h"

#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "common/units.h"
#include "machine/procfs.h"
#include "machine/sysfs.h"
#include "memory/smaps.h"
#include "platform/arm64_cpu.h"
#include "platform/platform.h"

namespace zs {
namespace {

namespace a64 = platform::arm64;

constexpr const char* kBinfmtDir = "/proc/sys/fs/binfmt_misc";

std::optional<unsigned> cpuinfo_implementer(const std::map<std::string, std::string>& f) {
  auto it = f.find("CPU implementer");
  if (it == f.end()) return std::nullopt;
  try {
    return static_cast<unsigned>(std::stoul(it->second, nullptr, 0));
  } catch (...) {
    return std::nullopt;
  }
}

// madvise(MADV_HUGEPAGE) on the first page of a two-page mapping, then the
// VmFlags of the smaps entry that holds it: "hg" where the advice reached
// the kernel.
std::optional<bool> madvise_hugepage_seen() {
  const std::size_t page = std::size_t(sysconf(_SC_PAGESIZE));
  void* p = mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return std::nullopt;
  std::optional<bool> seen;
  if (madvise(p, page, MADV_HUGEPAGE) == 0) {
    if (auto vma = smaps_vma(reinterpret_cast<std::uintptr_t>(p))) seen = vma->has_flag("hg");
  }
  munmap(p, 2 * page);
  return seen;
}

std::string hugetlb_mmap_error() {
  const std::size_t bytes = 2u << 20;  // the default huge page of x86_64 and 4 KiB arm64
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return std::strerror(errno);
  munmap(p, bytes);
  return "";
}

}  // namespace

std::string cpuinfo_arch(const std::string& cpuinfo) {
  const auto f = procfs::cpuinfo_fields(cpuinfo);
  if (f.count("vendor_id") && f.count("cpu family") && f.count("flags")) return "x86_64";
  if (f.count("CPU implementer")) return "arm64";
  return "";
}

Emulation detect_emulation(const EmulationInputs& in) {
  Emulation e;
  bool foreign_kernel = false, software_cpu = false;

  if (!in.cpuinfo) {
    e.checked.push_back("/proc/cpuinfo: unreadable, not checked");
  } else {
    const std::string arch = cpuinfo_arch(*in.cpuinfo);
    if (arch.empty()) {
      e.checked.push_back("/proc/cpuinfo: written by no architecture this check knows");
    } else if (arch != in.build_arch) {
      foreign_kernel = true;
      e.evidence.push_back(
          {fmt::format("/proc/cpuinfo of an {} kernel", arch),
           fmt::format("/proc/cpuinfo describes an {} CPU ({}) to this {} build: the kernel is "
                       "another architecture's, so a user-mode emulator runs this program",
                       arch,
                       arch == "x86_64" ? "'vendor_id', 'cpu family', 'flags' lines"
                                        : "'CPU implementer' lines",
                       in.build_arch)});
    } else {
      e.checked.push_back(fmt::format("/proc/cpuinfo: an {} kernel's, as this build", arch));
    }
    if (arch == "arm64" && arch == in.build_arch) {
      const auto imp = cpuinfo_implementer(procfs::cpuinfo_fields(*in.cpuinfo));
      if (imp && *imp == 0) {
        software_cpu = true;
        e.evidence.push_back(
            {"/proc/cpuinfo CPU implementer 0x00",
             "/proc/cpuinfo 'CPU implementer' is 0x00, which Arm reserves for software use: a "
             "software CPU model (qemu's 'max'), not silicon"});
      }
    }
  }

  if (in.build_arch == "arm64") {
    if (!in.midr_register) {
      e.checked.push_back("MIDR_EL1 through MRS: not read (no HWCAP_CPUID)");
    } else if (a64::decode_midr(*in.midr_register).implementer == 0) {
      software_cpu = true;
      e.evidence.push_back(
          {fmt::format("MIDR_EL1 {:#010x}: implementer 0x00", *in.midr_register),
           fmt::format("MIDR_EL1 {:#010x} (read through MRS) has implementer 0x00, which Arm "
                       "reserves for software use: qemu's 'max' CPU model, not silicon",
                       *in.midr_register)});
    } else {
      e.checked.push_back(
          fmt::format("MIDR_EL1 {:#010x} through MRS: implementer {}", *in.midr_register,
                      a64::implementer_name(a64::decode_midr(*in.midr_register).implementer)));
    }
  }

  if (!in.madvise_hugepage_seen) {
    e.checked.push_back(
        "madvise(MADV_HUGEPAGE) probe: could not tell (refused, or no /proc/self/smaps entry)");
  } else if (!*in.madvise_hugepage_seen) {
    e.madvise_ignored = true;
    e.evidence.push_back(
        {"madvise(MADV_HUGEPAGE) ignored",
         "madvise(MADV_HUGEPAGE) returned 0 but /proc/self/smaps shows no 'hg' in the "
         "mapping's VmFlags: the advice never reached the kernel (qemu-user 7.2 passes only "
         "MADV_DONTNEED on and answers the rest 0), so THP in 'madvise' mode gives no huge "
         "folio here"});
  } else {
    e.checked.push_back("madvise(MADV_HUGEPAGE) probe: smaps shows 'hg', as Linux sets it");
  }

  e.hugetlb_mmap_error = in.hugetlb_mmap_error;
  e.checked.push_back(in.hugetlb_mmap_error.empty()
                          ? "mmap(MAP_HUGETLB | MAP_NORESERVE): mapped (not a signal)"
                          : "mmap(MAP_HUGETLB | MAP_NORESERVE): " + in.hugetlb_mmap_error +
                                " (not a signal: a kernel without hugetlbfs fails too)");

  e.checked.push_back(fmt::format(
      "uname -m: '{}' (not a signal: qemu-user reports the emulated machine)", in.uname_machine));
  if (in.binfmt_qemu.empty())
    e.checked.push_back(std::string("binfmt_misc: no enabled qemu-* entry in ") + kBinfmtDir +
                        " (or not mounted)");
  else
    e.checked.push_back(fmt::format(
        "binfmt_misc: {} registered (not a signal: qemu is installed; this process may be native)",
        fmt::join(in.binfmt_qemu, ", ")));

  if (foreign_kernel)
    e.kind = software_cpu ? "qemu-user" : "user-mode";
  else if (software_cpu)
    e.kind = "software-cpu";
  else if (e.madvise_ignored)
    e.kind = "user-mode";
  return e;
}

EmulationInputs this_emulation_inputs() {
  EmulationInputs in;
  in.build_arch = platform::cpu_signature().arch;
  in.cpuinfo = sysfs::read("/proc/cpuinfo");
  in.midr_register = a64::read_midr_el1();
  in.madvise_hugepage_seen = madvise_hugepage_seen();
  in.hugetlb_mmap_error = hugetlb_mmap_error();
  struct utsname u {};
  if (uname(&u) == 0) in.uname_machine = u.machine;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kBinfmtDir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("qemu-", 0) != 0) continue;
    auto text = sysfs::read(entry.path().string());
    if (text && text->rfind("enabled", 0) == 0) in.binfmt_qemu.push_back(name);
  }
  return in;
}

Emulation this_emulation() { return detect_emulation(this_emulation_inputs()); }

nlohmann::json emulation_json(const Emulation& e) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const EmulationSignal& s : e.evidence)
    evidence.push_back({{"signal", s.signal}, {"why", s.why}});
  return {{"emulation", e.kind},
          {"emulation_evidence", std::move(evidence)},
          {"emulation_checked", e.checked},
          {"emulation_madvise_ignored", e.madvise_ignored},
          {"emulation_hugetlb_mmap", e.hugetlb_mmap_error.empty() ? "ok" : e.hugetlb_mmap_error}};
}

std::optional<std::string> emulated_hugetlb_problem(const nlohmann::json& capability,
                                                    std::uint64_t folio_bytes) {
  if (!capability.is_object() || capability.value("emulation", std::string("none")) == "none")
    return std::nullopt;
  const std::string err = capability.value("emulation_hugetlb_mmap", std::string("ok"));
  if (err == "ok") return std::nullopt;
  return fmt::format(
      "hugetlb {}: mmap(MAP_HUGETLB) fails under this emulator ({} emulation: {}; qemu-user "
      "7.2 places guest mappings itself, where a huge page cannot go), whatever the pool "
      "holds; measure hugetlb natively",
      exact_size(folio_bytes), capability.value("emulation", std::string()), err);
}

std::optional<std::string> emulated_thp_problem(const nlohmann::json& capability,
                                                std::uint64_t folio_bytes,
                                                const std::string& effective,
                                                const std::string& enabled_path) {
  if (!capability.is_object() || !capability.value("emulation_madvise_ignored", false) ||
      effective != "madvise")
    return std::nullopt;
  return fmt::format(
      "THP {} needs madvise(MADV_HUGEPAGE), which this emulator ignores ({} "
      "emulation; qemu-user 7.2 answers it 0 without passing it on), and {} is "
      "'madvise': no folio would be huge; run natively, or set it to 'always' for the run "
      "(echo always > {})",
      exact_size(folio_bytes), capability.value("emulation", std::string("user-mode")),
      enabled_path, enabled_path);
}

}  // namespace zs
