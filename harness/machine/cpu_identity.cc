// Which CPU this is, in the terms the event files match on: the platform's
// signature (x86 vendor and display family/model), and on arm64 the MIDR
// fields the kernel shows in /proc/cpuinfo.
#include "machine/cpu_identity.h"

#include <string>

#include "machine/procfs.h"
#include "machine/sysfs.h"

namespace zs {
namespace {

unsigned parse_num(const std::string& s) {
  try {
    return static_cast<unsigned>(std::stoul(s, nullptr, 0));
  } catch (...) {
    return 0;
  }
}

// MIDR_EL1.Implementer, as the Arm ARM and the kernel's cputype.h name them.
std::string arm_implementer_name(unsigned id) {
  switch (id) {
    case 0x41:
      return "ARM";
    case 0x42:
      return "Broadcom";
    case 0x43:
      return "Cavium";
    case 0x46:
      return "Fujitsu";
    case 0x48:
      return "HiSilicon";
    case 0x4e:
      return "NVIDIA";
    case 0x50:
      return "APM";
    case 0x51:
      return "Qualcomm";
    case 0x61:
      return "Apple";
    case 0x6d:
      return "Microsoft";
    case 0xc0:
      return "Ampere";
    default:
      return "implementer " + std::to_string(id);
  }
}

}  // namespace

CpuIdentity cpu_identity(const platform::CpuSignature& sig,
                         const std::map<std::string, std::string>& cpuinfo) {
  CpuIdentity id;
  auto field = [&](const char* key) {
    auto it = cpuinfo.find(key);
    return it == cpuinfo.end() ? std::string() : it->second;
  };
  id.arch = sig.arch;
  id.vendor = sig.vendor;
  id.family = sig.family;
  id.model = sig.model;
  id.stepping = sig.stepping;
  id.model_name = field("model name");
  if (id.arch == "arm64") {
    id.implementer = parse_num(field("CPU implementer"));
    id.part = parse_num(field("CPU part"));
    id.variant = parse_num(field("CPU variant"));
    id.revision = parse_num(field("CPU revision"));
    id.vendor = arm_implementer_name(id.implementer);
  }
  return id;
}

CpuIdentity this_cpu() {
  return cpu_identity(platform::cpu_signature(),
                      procfs::cpuinfo_fields(sysfs::read("/proc/cpuinfo").value_or("")));
}

}  // namespace zs
