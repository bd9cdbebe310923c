// Which CPU this is, in the terms the event files match on: the platform's
// signature (x86 vendor and display family/model), and on arm64 the MIDR
// fields: sysfs's copy of MIDR_EL1, else /proc/cpuinfo's lines.
#include "machine/cpu_identity.h"

#include <string>

#include "machine/procfs.h"
#include "machine/sysfs.h"
#include "platform/arm64_cpu.h"

namespace zs {
namespace {

unsigned parse_num(const std::string& s) {
  try {
    return static_cast<unsigned>(std::stoul(s, nullptr, 0));
  } catch (...) {
    return 0;
  }
}

}  // namespace

CpuIdentity cpu_identity(const platform::CpuSignature& sig,
                         const std::map<std::string, std::string>& cpuinfo,
                         const std::optional<std::string>& midr_el1) {
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
    if (auto v = midr_el1 ? platform::arm64::parse_midr_text(*midr_el1) : std::nullopt) {
      const platform::arm64::Midr m = platform::arm64::decode_midr(*v);
      id.midr = *v;
      id.implementer = m.implementer;
      id.part = m.part;
      id.variant = m.variant;
      id.revision = m.revision;
      id.midr_source = kMidrPath;
    } else {
      id.implementer = parse_num(field("CPU implementer"));
      id.part = parse_num(field("CPU part"));
      id.variant = parse_num(field("CPU variant"));
      id.revision = parse_num(field("CPU revision"));
      id.midr_source = std::string(
                           "/proc/cpuinfo 'CPU implementer', 'CPU part', 'CPU variant', "
                           "'CPU revision' (") +
                       (midr_el1 ? "unparsable " : "no ") + kMidrPath + ")";
    }
    id.vendor = platform::arm64::implementer_name(id.implementer);
  }
  return id;
}

CpuIdentity this_cpu() {
  const platform::CpuSignature sig = platform::cpu_signature();
  return cpu_identity(sig, procfs::cpuinfo_fields(sysfs::read("/proc/cpuinfo").value_or("")),
                      sig.arch == "arm64" ? sysfs::read(kMidrPath) : std::nullopt);
}

}  // namespace zs
