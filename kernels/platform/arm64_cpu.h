// What an arm64 CPU says about itself, as pure decoders and tables: MIDR_EL1
// (who made the core and which core it is), CTR_EL0 (cache line sizes),
// HWCAP/HWCAP2 (the features the kernel lets user space use). Portable, so
// that every decoder is tested on any host; only the readers at the end
// touch the machine, and they answer nullopt off arm64. DCZID_EL0 (DC ZVA's
// block size and DZP) is decoded beside the primitive that needs it
// (primitives/kernel_choice.h, decode_dczid).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zs::platform::arm64 {

// MIDR_EL1 (Arm ARM D-profile, D23.2 "MIDR_EL1"): [31:24] Implementer,
// [23:20] Variant (the rN of rNpM), [19:16] Architecture (0xf: "defined by
// the ID registers"), [15:4] PartNum, [3:0] Revision (the pM).
struct Midr {
  unsigned implementer = 0, variant = 0, architecture = 0, part = 0, revision = 0;
};
Midr decode_midr(std::uint64_t midr_el1);

// The text of /sys/devices/system/cpu/cpuN/regs/identification/midr_el1,
// which the kernel writes as "0x%016llx\n" (arch/arm64/kernel/cpuinfo.c);
// nullopt when it is not one hexadecimal number that fits 32 bits.
std::optional<std::uint64_t> parse_midr_text(std::string_view text);

// MIDR_EL1.Implementer as the kernel's cputype.h (ARM_CPU_IMP_*) names it,
// else "implementer 0x..".
std::string implementer_name(unsigned implementer);

// A core the harness knows by implementer and part: its name, the uarch
// (the stem of the event file that describes it, configs/events/<uarch>.toml,
// where one exists) and the machines it is found in.
struct Core {
  unsigned implementer, part;
  std::string_view name, uarch, machines;
};
std::span<const Core> known_cores();
// nullptr when the table does not know the pair.
const Core* find_core(unsigned implementer, unsigned part);

// CTR_EL0: [19:16] DminLine and [3:0] IminLine, log2 of the smallest data
// and instruction cache line in 4-byte words; [28] IDC and [29] DIC (no
// cleaning/invalidation needed for instruction-data coherence).
struct Ctr {
  std::size_t dcache_line_bytes = 0, icache_line_bytes = 0;
  bool idc = false, dic = false;
};
Ctr decode_ctr(std::uint64_t ctr_el0);

// HWCAP/HWCAP2 (the auxiliary vector's AT_HWCAP, AT_HWCAP2), bit values of
// the kernel's arch/arm64/include/uapi/asm/hwcap.h. HWCAP2_MOPS is 1 << 43
// (added in Linux 6.5); older headers, this distribution's arm64 cross
// headers (6.1) among them, lack it, so the values are written out here.
inline constexpr std::uint64_t kHwcapFp = 1ull << 0, kHwcapAsimd = 1ull << 1,
                               kHwcapCpuid = 1ull << 11, kHwcapDcpop = 1ull << 16,
                               kHwcapSve = 1ull << 22;
inline constexpr std::uint64_t kHwcap2Dcpodp = 1ull << 0, kHwcap2Sve2 = 1ull << 1,
                               kHwcap2Bti = 1ull << 17, kHwcap2Mte = 1ull << 18,
                               kHwcap2Mops = 1ull << 43;
struct Hwcaps {
  std::uint64_t hwcap = 0, hwcap2 = 0;
};
// The named features zeroscope cares about that are set, in table order
// ("fp", "asimd", "cpuid", "dcpop", "sve", "dcpodp", "sve2", "bti", "mte",
// "mops").
std::vector<std::string> hwcap_names(const Hwcaps& caps);
inline bool has_mops(const Hwcaps& caps) { return (caps.hwcap2 & kHwcap2Mops) != 0; }

// --- Readers: the registers EL0 may read, and the auxiliary vector --------
// nullopt off arm64 (kernels/platform/arm64/sysregs.cc, else
// kernels/platform/arm64_absent.cc).
std::optional<std::uint64_t> read_ctr_el0();
std::optional<std::uint64_t> read_dczid_el0();
std::optional<Hwcaps> read_hwcaps();
// MIDR_EL1 through MRS: EL0 may not read it, but Linux traps the read and
// answers for the CPU it runs on when HWCAP_CPUID is set (Linux 4.11+);
// nullopt without HWCAP_CPUID (the read would be SIGILL) and off arm64.
// qemu-user answers for its own CPU model, whose implementer is 0x00 on
// the "max" CPU: a value Arm reserves for software use, which no silicon
// carries (machine/emulation.h).
std::optional<std::uint64_t> read_midr_el1();

}  // namespace zs::platform::arm64
