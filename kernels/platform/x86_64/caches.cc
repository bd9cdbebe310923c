// The caches the CPU describes about itself: one walk of the deterministic
// cache parameters (Intel leaf 4, AMD 0x8000001D: the same layout), AMD's
// legacy descriptors where that leaf is missing or empty.
#include <string>

#include "platform/platform.h"
#include "primitives/x86_64/cpuid.h"

namespace zs::platform {
namespace {

// The leaf to walk, and its name in sources; 0 when there is none. AMD
// needs TopologyExtensions (0x80000001 ECX bit 22), which hypervisors often
// hide.
struct Leaf {
  std::uint32_t leaf = 0;
  const char* name = "";
};
Leaf deterministic_leaf() {
  if (x86::is_amd()) {
    if (x86::max_leaf(0x80000000) >= 0x8000001d && x86::bit(x86::cpuid(0x80000001).ecx, 22))
      return {0x8000001d, "CPUID leaf 0x8000001D"};
    return {};
  }
  if (x86::max_leaf(0) >= 4) return {4, "CPUID leaf 4"};
  return {};
}

std::vector<CacheLevel> walk(const Leaf& l) {
  std::vector<CacheLevel> out;
  if (l.leaf == 0) return out;
  for (std::uint32_t sub = 0; sub < 16; ++sub) {
    x86::Regs r = x86::cpuid(l.leaf, sub);
    const unsigned type = r.eax & 0x1f;  // 0 none, 1 data, 2 instruction, 3 unified
    if (type == 0) break;
    if (type == 2) continue;
    const std::uint64_t ways = ((r.ebx >> 22) & 0x3ff) + 1, parts = ((r.ebx >> 12) & 0x3ff) + 1,
                        line = (r.ebx & 0xfff) + 1, sets = std::uint64_t(r.ecx) + 1;
    out.push_back({int((r.eax >> 5) & 0x7), type == 1 ? "Data" : "Unified",
                   ways * parts * line * sets,
                   std::string(l.name) + " subleaf " + std::to_string(sub)});
  }
  return out;
}

// AMD's older descriptors, what the kernel itself falls back to
// (amd_cpuid4): 0x80000005 ECX[31:24] the L1d in KiB, 0x80000006 ECX[31:16]
// the L2 in KiB.
std::vector<CacheLevel> amd_legacy() {
  std::vector<CacheLevel> out;
  const std::uint32_t ext = x86::max_leaf(0x80000000);
  if (ext >= 0x80000005)
    if (std::uint64_t kb = x86::cpuid(0x80000005).ecx >> 24; kb != 0)
      out.push_back({1, "Data", kb << 10, "CPUID leaf 0x80000005 ECX[31:24]"});
  if (ext >= 0x80000006)
    if (std::uint64_t kb = x86::cpuid(0x80000006).ecx >> 16; kb != 0)
      out.push_back({2, "Unified", kb << 10, "CPUID leaf 0x80000006 ECX[31:16]"});
  return out;
}

// 0x80000006 EDX[31:18]: the L3 in 512 KiB units, for the whole socket.
std::optional<CacheLevel> amd_legacy_l3() {
  if (x86::max_leaf(0x80000000) < 0x80000006) return std::nullopt;
  const std::uint64_t units = (x86::cpuid(0x80000006).edx >> 18) & 0x3fff;
  if (units == 0) return std::nullopt;
  return CacheLevel{3, "Unified", units * 512 * 1024,
                    "CPUID leaf 0x80000006 EDX (legacy AMD descriptor: socket-wide on multi-CCX "
                    "parts, so cold pools err large)"};
}

const CacheLevel* highest(const std::vector<CacheLevel>& levels) {
  const CacheLevel* best = nullptr;
  for (const CacheLevel& c : levels)
    if (best == nullptr || c.level > best->level) best = &c;
  return best;
}

}  // namespace

std::vector<CacheLevel> cpu_caches() {
  std::vector<CacheLevel> out = walk(deterministic_leaf());
  if (out.empty() && x86::is_amd()) out = amd_legacy();
  return out;
}

std::optional<CacheLevel> llc_from_cpu() {
  const std::vector<CacheLevel> levels = walk(deterministic_leaf());
  if (const CacheLevel* c = highest(levels)) return *c;
  if (!x86::is_amd()) return std::nullopt;
  if (auto l3 = amd_legacy_l3()) return l3;
  const std::vector<CacheLevel> legacy = amd_legacy();
  if (const CacheLevel* c = highest(legacy)) return *c;
  return std::nullopt;
}

}  // namespace zs::platform
