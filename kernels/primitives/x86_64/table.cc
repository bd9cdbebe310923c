// The x86_64 primitive table, the availability probes and the kernel's
// clear_page() choice.
#include <string>

#include "primitives/kernel_choice.h"
#include "primitives/primitive.h"
#include "primitives/x86_64/cpuid.h"

extern "C" {
void zs_zero_stosb(void*, std::size_t);
void zs_zero_stosq(void*, std::size_t);
void zs_zero_movq(void*, std::size_t);
void zs_zero_avx2(void*, std::size_t);
void zs_zero_avx512(void*, std::size_t);
void zs_zero_nt(void*, std::size_t);
void zs_zero_movnti(void*, std::size_t);
void zs_zero_clzero(void*, std::size_t);
}

namespace zs {
namespace x86 {

std::size_t clzero_line_bytes() {
  std::size_t line = ((cpuid(1).ebx >> 8) & 0xffu) * 8;
  return line ? line : 64;
}

namespace {

bool has_erms() { return max_leaf(0) >= 7 && bit(cpuid(7).ebx, 9); }

Availability baseline_string() {
  return {true, has_erms() ? "baseline ISA; ERMS set (fast strings)" : "baseline ISA; ERMS clear"};
}
Availability baseline() { return {true, "baseline x86_64 (SSE2)"}; }

Availability probe_avx2() {
  if (max_leaf(0) < 7 || !bit(cpuid(7).ebx, 5)) return {false, "CPUID.(7,0):EBX.AVX2[5] is clear"};
  if ((xcr0() & 0x6) != 0x6) return {false, "the OS does not save YMM state (XCR0[2:1] != 11b)"};
  return {true, "CPUID AVX2 set, XCR0 saves YMM"};
}

Availability probe_avx512() {
  if (max_leaf(0) < 7 || !bit(cpuid(7).ebx, 16))
    return {false, "CPUID.(7,0):EBX.AVX512F[16] is clear"};
  if ((xcr0() & 0xe6) != 0xe6) return {false, "the OS does not save ZMM state (XCR0[7:5,2:1])"};
  return {true, "CPUID AVX512F set, XCR0 saves ZMM"};
}

Availability probe_clzero() {
  if (max_leaf(0x80000000) < 0x80000008 || !bit(cpuid(0x80000008).ebx, 0))
    return {false, "CPUID.80000008H:EBX.CLZERO[0] is clear (AMD Zen and later only)"};
  std::size_t line = clzero_line_bytes();
  return {true, "CPUID CLZERO set, line " + std::to_string(line) + " bytes", line, line};
}

constexpr PrimitiveInfo kX86[] = {
    {"stosb", "x86_64", "ERMS (for speed)", 1, 1, zs_zero_stosb, baseline_string,
     "rep stosb (kernel clear_page_erms)"},
    {"stosq", "x86_64", "", 8, 8, zs_zero_stosq, baseline, "rep stosq (kernel clear_page_rep)"},
    {"movq", "x86_64", "", 8, 64, zs_zero_movq, baseline,
     "8x 8-byte movq per 64-byte line (kernel clear_page_orig)"},
    {"avx2", "x86_64", "AVX2", 32, 64, zs_zero_avx2, probe_avx2, "2x 32-byte vmovdqa per line"},
    {"avx512", "x86_64", "AVX512F", 64, 64, zs_zero_avx512, probe_avx512,
     "1x 64-byte vmovdqa64 per line"},
    {"nt", "x86_64", "", 16, 64, zs_zero_nt, baseline,
     "4x 16-byte movntdq per line + sfence (non-temporal)"},
    {"movnti", "x86_64", "", 8, 64, zs_zero_movnti, baseline,
     "8x 8-byte movnti per line + sfence (non-temporal)"},
    {"clzero", "x86_64", "CLZERO", 64, 64, zs_zero_clzero, probe_clzero,
     "AMD clzero per line + sfence (no RFO)"},
};

}  // namespace
}  // namespace x86

std::span<const PrimitiveInfo> arch_primitives() { return x86::kX86; }
std::string_view arch_name() { return "x86_64"; }

KernelChoice arch_kernel_choice() {
  // The kernel's own flags, when we can read them, are what its alternatives
  // were patched from (rep_good is synthetic: no CPUID bit).
  auto flags = x86::kernel_cpu_flags();
  if (!flags.empty())
    return x86_kernel_choice(flags.count("erms") != 0, flags.count("rep_good") != 0,
                             "/proc/cpuinfo flags");
  // Without /proc: ERMS from CPUID; REP_GOOD as the kernel sets it, for
  // Intel family 6 and AMD family >= 0x10 (every x86_64 CPU of the last
  // fifteen years).
  const unsigned family = x86::signature().family;
  bool rep_good = x86::is_amd() ? family >= 0x10 : family == 6;
  return x86_kernel_choice(x86::has_erms(), rep_good, "CPUID; REP_GOOD inferred from family");
}

}  // namespace zs
