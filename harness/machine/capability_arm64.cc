// The record's arm64 fields under cpu: MIDR_EL1 and the core it names, the
// cache line from CTR_EL0, DC ZVA's block and DZP from DCZID_EL0, and the
// HWCAP features zeroscope cares about (FEAT_MOPS: the SETP/SETM/SETE
// clear_page of newer kernels).
#include <fmt/format.h>

#include "machine/capability_record.h"
#include "machine/cpu_identity.h"
#include "platform/arm64_cpu.h"
#include "primitives/kernel_choice.h"

namespace zs::capability {

namespace a64 = platform::arm64;

void arm64_section(Record& r, const CpuIdentity& cpu) {
  if (cpu.midr)
    r.set("cpu.midr", fmt::format("{:#010x}", *cpu.midr));
  else
    r.unknown("cpu.midr", "no readable " + std::string(kMidrPath));
  r.set("cpu.midr_source", cpu.midr_source);
  if (const a64::Core* core = a64::find_core(cpu.implementer, cpu.part)) {
    r.set("cpu.core", core->name);
    r.set("cpu.core_uarch", core->uarch);
  } else {
    r.unknown("cpu.core", fmt::format("implementer {:#x} part {:#x} is not in the core table "
                                      "(kernels/platform/arm64_cpu.cc)",
                                      cpu.implementer, cpu.part));
  }
  const char* not_here = "not an arm64 build";
  if (auto ctr = a64::read_ctr_el0()) {
    r.set("cpu.ctr_el0", fmt::format("{:#x}", *ctr));
    r.set("cpu.cache_line_bytes", a64::decode_ctr(*ctr).dcache_line_bytes);
  } else {
    r.unknown("cpu.cache_line_bytes", not_here);
  }
  if (auto dczid = a64::read_dczid_el0()) {
    const Dczid d = decode_dczid(*dczid);
    r.set("cpu.dc_zva.block_bytes", d.block_bytes);
    r.set("cpu.dc_zva.prohibited", d.prohibited);
  } else {
    r.unknown("cpu.dc_zva", not_here);
  }
  if (auto caps = a64::read_hwcaps()) {
    r.set("cpu.hwcaps", a64::hwcap_names(*caps));
    r.set("cpu.mops", a64::has_mops(*caps));
  } else {
    r.unknown("cpu.hwcaps", not_here);
  }
}

}  // namespace zs::capability
