// Which CPU this is (the event files of counters/events.h are matched on
// it), built from the platform's signature and the kernel's /proc/cpuinfo.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "platform/platform.h"

namespace zs {

struct CpuIdentity {
  std::string arch;    // x86_64 | arm64
  std::string vendor;  // GenuineIntel | AuthenticAMD | HygonGenuine | arm implementer name
  unsigned family = 0, model = 0, stepping = 0;                   // x86 (display family/model)
  unsigned implementer = 0, part = 0, variant = 0, revision = 0;  // arm64 MIDR fields
  std::string model_name;                                         // /proc/cpuinfo "model name"
  // arm64: MIDR_EL1 when the sysfs copy was read (the cpuinfo lines carry
  // no architecture field), and where the fields came from.
  std::optional<std::uint64_t> midr;
  std::string midr_source;
};
// This machine: cpu_identity() of the platform's signature and /proc/cpuinfo.
CpuIdentity this_cpu();

// x86: vendor and display family/model/stepping from the signature; arm64:
// the MIDR fields from `midr_el1` (the text of sysfs's
// regs/identification/midr_el1) when it parses, else from the "CPU
// implementer", "CPU part", ... lines of `cpuinfo` (procfs::cpuinfo_fields),
// and the implementer's name as vendor; both: the "model name" line when
// there is one.
CpuIdentity cpu_identity(const platform::CpuSignature& sig,
                         const std::map<std::string, std::string>& cpuinfo,
                         const std::optional<std::string>& midr_el1 = std::nullopt);

// Where the kernel exposes cpu0's MIDR_EL1 (arm64, Linux 4.11 and later).
inline constexpr const char* kMidrPath =
    "/sys/devices/system/cpu/cpu0/regs/identification/midr_el1";

}  // namespace zs
