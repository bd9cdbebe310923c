#include "platform/platform.h"

#include <cpuid.h>

#include "primitives/x86_64/cpuid.h"

namespace zs::platform {

std::string_view timestamp_name() { return "tsc"; }

namespace {
// AMD's older descriptor, 0x80000006: EDX[31:18] the L3 in 512 KiB units,
// ECX[31:16] the L2 in KiB. What the kernel itself falls back to
// (amd_cpuid4) when 0x8000001D is missing.
std::optional<CacheSize> amd_legacy_l3() {
  if (x86::max_leaf(0x80000000) < 0x80000006) return std::nullopt;
  x86::Regs r = x86::cpuid(0x80000006);
  if (std::uint64_t l3 = (r.edx >> 18) & 0x3fff; l3 != 0)
    return CacheSize{l3 * 512 * 1024, 3, "CPUID leaf 0x80000006 EDX (legacy AMD descriptor: socket-wide on multi-CCX parts, so cold pools err large)"};
  if (std::uint64_t l2 = (r.ecx >> 16) & 0xffff; l2 != 0)
    return CacheSize{l2 * 1024, 2, "CPUID leaf 0x80000006 ECX (legacy AMD descriptor)"};
  return std::nullopt;
}

bool has_clflushopt() { return x86::max_leaf(0) >= 7 && x86::bit(x86::cpuid(7).ebx, 23); }
}  // namespace

void flush_range(const void* p, std::size_t bytes) {
  static const bool opt = has_clflushopt();
  const std::size_t line = cache_line_bytes();
  auto a = reinterpret_cast<std::uintptr_t>(p) & ~(line - 1);
  const auto end = reinterpret_cast<std::uintptr_t>(p) + bytes;
  if (opt) {
    for (; a < end; a += line) asm volatile("clflushopt (%0)" ::"r"(a) : "memory");
  } else {
    for (; a < end; a += line) asm volatile("clflush (%0)" ::"r"(a) : "memory");
  }
  // clflushopt is weakly ordered: the flush is done only once mfence retires.
  asm volatile("mfence" ::: "memory");
}

std::string_view flush_name() { return has_clflushopt() ? "clflushopt" : "clflush"; }

std::size_t cache_line_bytes() {
  std::size_t line = ((x86::cpuid(1).ebx >> 8) & 0xffu) * 8;
  return line ? line : 64;
}

std::optional<CacheSize> llc_from_cpu() {
  // Deterministic cache parameters: Intel leaf 4, AMD (Zen) 0x8000001D, same
  // layout. Walk the subleaves and keep the highest data/unified level.
  x86::Regs vendor = x86::cpuid(0);
  bool amd = vendor.ebx == 0x68747541 || vendor.ebx == 0x6f677948;  // AuthenticAMD, HygonGenuine
  std::uint32_t leaf = 4;
  std::string source = "CPUID leaf 4";
  if (amd) {
    if (x86::max_leaf(0x80000000) < 0x8000001d || !x86::bit(x86::cpuid(0x80000001).ecx, 22))
      return amd_legacy_l3();  // no TopologyExtensions (hypervisors often hide it)
    leaf = 0x8000001d;
    source = "CPUID leaf 0x8000001D";
  } else if (x86::max_leaf(0) < 4) {
    return std::nullopt;
  }
  std::optional<CacheSize> best;
  for (std::uint32_t sub = 0; sub < 16; ++sub) {
    x86::Regs r = x86::cpuid(leaf, sub);
    unsigned type = r.eax & 0x1f;  // 0 none, 1 data, 2 instruction, 3 unified
    if (type == 0) break;
    if (type == 2) continue;
    int level = (r.eax >> 5) & 0x7;
    std::uint64_t ways = ((r.ebx >> 22) & 0x3ff) + 1, parts = ((r.ebx >> 12) & 0x3ff) + 1,
                  line = (r.ebx & 0xfff) + 1, sets = std::uint64_t(r.ecx) + 1;
    std::uint64_t bytes = ways * parts * line * sets;
    if (!best || level > best->level) best = CacheSize{bytes, level, source + " subleaf " + std::to_string(sub)};
  }
  return best;
}

std::optional<std::uint64_t> read_pmc(std::uint32_t index) {
  std::uint32_t lo, hi;
  asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(index - 1));
  return (std::uint64_t(hi) << 32) | lo;
}

std::optional<PmuCounters> pmu_counters() {
  x86::Regs vendor = x86::cpuid(0);
  const bool amd = vendor.ebx == 0x68747541 || vendor.ebx == 0x6f677948;
  if (!amd) {
    if (x86::max_leaf(0) < 0xa) return std::nullopt;
    x86::Regs a = x86::cpuid(0xa);
    if ((a.eax & 0xff) == 0) return std::nullopt;  // no architectural PMU (a VM that hides it)
    return PmuCounters{int((a.eax >> 8) & 0xff), int(a.edx & 0x1f), "CPUID leaf 0xA"};
  }
  if (x86::max_leaf(0x80000000) >= 0x80000022) {
    x86::Regs r = x86::cpuid(0x80000022);
    if (int n = int(r.ebx & 0xf); n > 0) return PmuCounters{n, 0, "CPUID leaf 0x80000022 EBX (PerfMonV2)"};
  }
  if (x86::bit(x86::cpuid(0x80000001).ecx, 23)) return PmuCounters{6, 0, "CPUID 0x80000001 PerfCtrExtCore"};
  return PmuCounters{4, 0, "AMD legacy: 4 core counters"};
}

void known_instruction_loop(std::uint64_t iterations) {
  if (iterations == 0) return;
  asm volatile("1:\n\tdecq %0\n\tjnz 1b" : "+r"(iterations)::"cc");
}

}  // namespace zs::platform
