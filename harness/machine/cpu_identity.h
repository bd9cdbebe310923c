// Which CPU this is (the event files of counters/events.h are matched on
// it), built from the platform's signature and the kernel's /proc/cpuinfo.
#pragma once

#include <map>
#include <string>

#include "platform/platform.h"

namespace zs {

struct CpuIdentity {
  std::string arch;    // x86_64 | arm64
  std::string vendor;  // GenuineIntel | AuthenticAMD | HygonGenuine | arm implementer name
  unsigned family = 0, model = 0, stepping = 0;                   // x86 (display family/model)
  unsigned implementer = 0, part = 0, variant = 0, revision = 0;  // arm64 MIDR fields
  std::string model_name;                                         // /proc/cpuinfo "model name"
};
// This machine: cpu_identity() of the platform's signature and /proc/cpuinfo.
CpuIdentity this_cpu();

// x86: vendor and display family/model/stepping from the signature; arm64:
// the MIDR fields ("CPU implementer", "CPU part", ...) of `cpuinfo`
// (procfs::cpuinfo_fields) and the implementer's name as vendor; both: the
// "model name" line when there is one.
CpuIdentity cpu_identity(const platform::CpuSignature& sig,
                         const std::map<std::string, std::string>& cpuinfo);

}  // namespace zs
