// The arm64 identification tables and decoders (arm64_cpu.h). Implementer
// and part numbers are the kernel's arch/arm64/include/asm/cputype.h
// (ARM_CPU_IMP_*, ARM_CPU_PART_*, AMPERE_CPU_PART_*, MICROSOFT_CPU_PART_*).
#include "platform/arm64_cpu.h"

#include <algorithm>
#include <charconv>

namespace zs::platform::arm64 {
namespace {

struct Implementer {
  unsigned id;
  std::string_view name;
};
constexpr Implementer kImplementers[] = {
    {0x41, "ARM"},       {0x42, "Broadcom"},  {0x43, "Cavium"}, {0x46, "Fujitsu"},
    {0x48, "HiSilicon"}, {0x4e, "NVIDIA"},    {0x50, "APM"},    {0x51, "Qualcomm"},
    {0x61, "Apple"},     {0x6d, "Microsoft"}, {0xc0, "Ampere"},
};

// Ampere Altra and Altra Max are Neoverse N1 cores and identify as Arm's
// (0x41, 0xd0c); AmpereOne is Ampere's own core under Ampere's implementer.
// Azure Cobalt 100 is Neoverse N2 r0p0 under Microsoft's implementer.
constexpr Core kCores[] = {
    {0x41, 0xd08, "Cortex-A72", "cortex-a72", "AWS Graviton (first generation)"},
    {0x41, 0xd0c, "Neoverse N1", "neoverse-n1", "Ampere Altra, Altra Max, AWS Graviton2"},
    {0x41, 0xd40, "Neoverse V1", "neoverse-v1", "AWS Graviton3"},
    {0x41, 0xd49, "Neoverse N2", "neoverse-n2", "Alibaba Yitian 710, Microsoft Azure Cobalt 100"},
    {0x41, 0xd4f, "Neoverse V2", "neoverse-v2", "NVIDIA Grace, AWS Graviton4, Google Axion"},
    {0x41, 0xd84, "Neoverse V3", "neoverse-v3", ""},
    {0x41, 0xd8e, "Neoverse N3", "neoverse-n3", ""},
    {0x6d, 0xd49, "Azure Cobalt 100 (Neoverse N2)", "neoverse-n2", "Microsoft Azure Cobalt 100"},
    {0xc0, 0xac3, "AmpereOne", "ampereone", "AmpereOne"},
    {0xc0, 0xac4, "AmpereOne (AC04)", "ampereone", ""},
};

struct Feature {
  std::string_view name;
  int word;  // 1: AT_HWCAP, 2: AT_HWCAP2
  std::uint64_t bit;
};
constexpr Feature kFeatures[] = {
    {"fp", 1, kHwcapFp},       {"asimd", 1, kHwcapAsimd}, {"cpuid", 1, kHwcapCpuid},
    {"dcpop", 1, kHwcapDcpop}, {"sve", 1, kHwcapSve},     {"dcpodp", 2, kHwcap2Dcpodp},
    {"sve2", 2, kHwcap2Sve2},  {"bti", 2, kHwcap2Bti},    {"mte", 2, kHwcap2Mte},
    {"mops", 2, kHwcap2Mops},
};

}  // namespace

Midr decode_midr(std::uint64_t v) {
  return Midr{unsigned(v >> 24) & 0xffu, unsigned(v >> 20) & 0xfu, unsigned(v >> 16) & 0xfu,
              unsigned(v >> 4) & 0xfffu, unsigned(v) & 0xfu};
}

std::optional<std::uint64_t> parse_midr_text(std::string_view t) {
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ' || t.back() == '\t'))
    t.remove_suffix(1);
  if (t.size() < 3 || t[0] != '0' || (t[1] != 'x' && t[1] != 'X')) return std::nullopt;
  t.remove_prefix(2);
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, 16);
  if (ec != std::errc() || end != t.data() + t.size() || v > 0xffffffffu) return std::nullopt;
  return v;
}

std::string implementer_name(unsigned id) {
  for (const Implementer& i : kImplementers)
    if (i.id == id) return std::string(i.name);
  return "implementer " + std::to_string(id);
}

std::span<const Core> known_cores() { return kCores; }

const Core* find_core(unsigned implementer, unsigned part) {
  auto it = std::find_if(std::begin(kCores), std::end(kCores), [&](const Core& c) {
    return c.implementer == implementer && c.part == part;
  });
  return it == std::end(kCores) ? nullptr : it;
}

Ctr decode_ctr(std::uint64_t v) {
  return Ctr{std::size_t{4} << ((v >> 16) & 0xfu), std::size_t{4} << (v & 0xfu),
             ((v >> 28) & 1u) != 0, ((v >> 29) & 1u) != 0};
}

std::vector<std::string> hwcap_names(const Hwcaps& caps) {
  std::vector<std::string> out;
  for (const Feature& f : kFeatures)
    if (((f.word == 1 ? caps.hwcap : caps.hwcap2) & f.bit) != 0) out.emplace_back(f.name);
  return out;
}

}  // namespace zs::platform::arm64
