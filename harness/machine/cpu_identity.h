// Which CPU this is (CpuIdentity, this_cpu() in counters/events.h, where the
// event files are matched on it), built from the platform's signature and
// the kernel's /proc/cpuinfo.
#pragma once

#include <map>
#include <string>

#include "counters/events.h"
#include "platform/platform.h"

namespace zs {

// x86: vendor and display family/model/stepping from the signature; arm64:
// the MIDR fields ("CPU implementer", "CPU part", ...) of `cpuinfo`
// (procfs::cpuinfo_fields) and the implementer's name as vendor; both: the
// "model name" line when there is one.
CpuIdentity cpu_identity(const platform::CpuSignature& sig,
                         const std::map<std::string, std::string>& cpuinfo);

}  // namespace zs
