#include "platform/platform.h"

#include "primitives/x86_64/cpuid.h"

namespace zs::platform {

std::string_view timestamp_name() { return "tsc"; }
std::string_view timed_load_method() {
  return "lfence; rdtsc; lfence; load; rdtscp; lfence (serialised timestamp reads around one load)";
}

CpuSignature cpu_signature() {
  const x86::Signature s = x86::signature();
  return {"x86_64", x86::vendor(), s.family, s.model, s.stepping};
}

namespace {
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

std::optional<std::uint64_t> read_pmc(std::uint32_t index) {
  std::uint32_t lo, hi;
  asm volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(index - 1));
  return (std::uint64_t(hi) << 32) | lo;
}

std::optional<PmuCounters> pmu_counters() {
  if (!x86::is_amd()) {
    if (x86::max_leaf(0) < 0xa) return std::nullopt;
    x86::Regs a = x86::cpuid(0xa);
    if ((a.eax & 0xff) == 0) return std::nullopt;  // no architectural PMU (a VM that hides it)
    return PmuCounters{int((a.eax >> 8) & 0xff), int(a.edx & 0x1f), "CPUID leaf 0xA"};
  }
  if (x86::max_leaf(0x80000000) >= 0x80000022) {
    x86::Regs r = x86::cpuid(0x80000022);
    if (int n = int(r.ebx & 0xf); n > 0)
      return PmuCounters{n, 0, "CPUID leaf 0x80000022 EBX (PerfMonV2)"};
  }
  if (x86::bit(x86::cpuid(0x80000001).ecx, 23))
    return PmuCounters{6, 0, "CPUID 0x80000001 PerfCtrExtCore"};
  return PmuCounters{4, 0, "AMD legacy: 4 core counters"};
}

void known_instruction_loop(std::uint64_t iterations) {
  if (iterations == 0) return;
  asm volatile("1:\n\tdecq %0\n\tjnz 1b" : "+r"(iterations)::"cc");
}

}  // namespace zs::platform
