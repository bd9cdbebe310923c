// What the harness needs from the CPU beyond zeroing: a cycle-rate
// timestamp for the measured phases and where its rate comes from, a cache
// flush for the `clflush` eviction, the cache geometry, identity and
// hypervisor the CPU reports about itself, and user-space counter reads.
// The only architecture-specific code outside the primitives; the harness
// sees this one header. One implementation per architecture
// (platform/x86_64/, platform/arm64/, platform/generic/), chosen by the
// build; every function answers on every architecture, with nullopt or an
// empty list and a reason where the architecture has no such thing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zs::platform {

// A serialising read of the CPU's constant-rate counter: rdtscp + lfence on
// x86_64 (waits for earlier instructions, holds back later ones), isb +
// cntvct_el0 on arm64; 0 elsewhere. Inline: it sits between the phases.
inline std::uint64_t timestamp() {
#if defined(__x86_64__)
  std::uint32_t lo, hi, aux;
  asm volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux)::"memory");
  return (std::uint64_t(hi) << 32) | lo;
#elif defined(__aarch64__)
  std::uint64_t v;
  asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v)::"memory");
  return v;
#else
  return 0;
#endif
}

// The ticks of timestamp()'s counter one load of the byte at `p` takes,
// timing included: on x86_64 lfence; rdtsc; lfence, the load, then rdtscp
// (which waits for the load to complete) and lfence; on arm64 isb and
// cntvct_el0 around the load, with dsb ld so that the load has completed
// (cntvct often ticks far slower than the core: a level's median then
// needs many loads); 0 elsewhere. Each call stands alone: no other load
// overlaps the timed one. The residency probe subtracts the median of this
// on a line known to be in L1, its overhead.
inline std::uint64_t timed_load(const void* p) {
#if defined(__x86_64__)
  std::uint32_t lo0, hi0, lo1, hi1, junk;
  asm volatile(
      "lfence\n\trdtsc\n\tlfence\n\t"
      "mov %%eax, %[lo0]\n\tmov %%edx, %[hi0]\n\t"
      "movzbl (%[p]), %%ecx\n\t"
      "rdtscp\n\tlfence"
      : "=&a"(lo1), "=&d"(hi1), [lo0] "=&r"(lo0), [hi0] "=&r"(hi0), "=&c"(junk)
      : [p] "r"(p)
      : "memory");
  return ((std::uint64_t(hi1) << 32) | lo1) - ((std::uint64_t(hi0) << 32) | lo0);
#elif defined(__aarch64__)
  std::uint64_t t0, t1, v;
  asm volatile(
      "isb\n\tmrs %[t0], cntvct_el0\n\tisb\n\t"
      "ldrb %w[v], [%[p]]\n\tdsb ld\n\tisb\n\t"
      "mrs %[t1], cntvct_el0"
      : [t0] "=&r"(t0), [t1] "=&r"(t1), [v] "=&r"(v)
      : [p] "r"(p)
      : "memory");
  return t1 - t0;
#else
  (void)p;
  return 0;
#endif
}
// How timed_load() times a load, for the record ("" where it cannot).
std::string_view timed_load_method();

// "tsc", "cntvct", or "" when the architecture has no such counter (the
// `tsc` column is then missing, not zero).
std::string_view timestamp_name();

// Writes back and invalidates every cache line of [p, p + bytes) from every
// level (clflushopt, or clflush, on x86_64; dc civac on arm64), then fences.
void flush_range(const void* p, std::size_t bytes);
// The instruction flush_range uses here.
std::string_view flush_name();

// --- The timestamp counter's rate -------------------------------------

// One source's answer: `hz` with `text` saying where the number came from
// ("CPUID leaf 0x15 (crystal 25000000 Hz x 168/2)", "cntfrq_el0"), or
// nullopt with `text` saying why this source did not answer.
struct RateAnswer {
  std::optional<double> hz;
  std::string text;
};
// The sources of the rate this architecture offers, best first: on x86_64
// CPUID leaf 0x15, the kernel's tsc_freq_khz, the hypervisor timing leaf
// 0x40000010; on arm64 cntfrq_el0; none elsewhere. A registry like the
// primitives': the caller tries them in order and calibrates when none
// answers.
struct RateSource {
  std::string_view name;
  RateAnswer (*read)();
};
std::span<const RateSource> timestamp_rate_sources();

// Whether the counter runs at a constant rate through frequency changes and
// idle states. `invariant`: the CPU's own statement (x86 CPUID 0x80000007
// EDX bit 8; arm64's generic timer is constant by architecture), nullopt
// with `invariant_source` saying why. `kernel_flags`: whether the kernel
// states its verdict as /proc/cpuinfo flags (x86 constant_tsc,
// nonstop_tsc); when not, `no_kernel_flags` says why.
struct TimestampConstancy {
  std::optional<bool> invariant;
  std::string invariant_source;
  bool kernel_flags = false;
  std::string no_kernel_flags;
};
TimestampConstancy timestamp_constancy();

// --- What the CPU says about itself --------------------------------------

// x86: CPUID leaf 1 ECX bit 31 and the vendor of leaf 0x40000000. nullopt
// `present` on architectures without an architected hypervisor bit.
struct Hypervisor {
  std::optional<bool> present;
  std::optional<std::string> vendor;  // "KVMKVMKVM", "VMwareVMware", "Microsoft Hv"
  std::uint32_t max_leaf = 0;         // EAX of 0x40000000
  std::string source;                 // how it was read, or why it could not be
};
Hypervisor hypervisor();

// The architecture's name and, on x86, the CPU's signature from CPUID (the
// vendor string and display family/model/stepping, the values the vendors'
// manuals, the kernel and libpfm4 use). On arm64 the identity is MIDR_EL1,
// which EL0 cannot read without the kernel's trap-and-emulate: the kernel's
// copies (sysfs regs/identification/midr_el1, else /proc/cpuinfo) are the
// source, read by the caller and decoded by platform/arm64_cpu.h.
struct CpuSignature {
  std::string arch;    // "x86_64" | "arm64" | "unknown"
  std::string vendor;  // x86 only: "GenuineIntel", "AuthenticAMD", "HygonGenuine"
  unsigned family = 0, model = 0, stepping = 0;  // x86 only
};
CpuSignature cpu_signature();

// A data or unified cache as the CPU describes it.
struct CacheLevel {
  int level = 0;
  std::string type;  // "Data" | "Unified"
  std::uint64_t bytes = 0;
  std::string source;  // "CPUID leaf 0x8000001D subleaf 3"
};
// Every data and unified cache level the CPU describes (x86: Intel leaf 4,
// AMD 0x8000001D; when those are absent or empty on AMD, the legacy
// 0x80000005/0x80000006 descriptors for L1d and L2, leaving out their L3
// field, which hypervisors and multi-CCD parts fill inconsistently). Empty
// where the CPU has no such interface (arm64: CCSIDR_EL1 is EL1-only).
std::vector<CacheLevel> cpu_caches();
// The last-level cache: the highest level Intel leaf 4 / AMD 0x8000001D
// describes, else on AMD the legacy L3 (socket-wide on multi-CCX parts, so
// cold pools err large), else the legacy L2; nullopt where the CPU
// describes none.
std::optional<CacheLevel> llc_from_cpu();

// --- User-space counter reads ---------------------------------------------

// Reads hardware counter `index` of the perf mmap page (pc->index, 1-based)
// from user space: rdpmc on x86_64; on arm64 the event counter selected
// through PMSELR_EL0 (index 32 = the cycle counter), which needs
// kernel.perf_user_access = 1. nullopt where user-space reads are not
// possible on this architecture.
std::optional<std::uint64_t> read_pmc(std::uint32_t index);

// General-purpose counters per hardware thread as the CPU reports them
// (Intel CPUID.0AH, AMD 0x80000022 / PerfCtrExtCore); nullopt where the
// architecture has no user-visible way to tell (arm64: PMCR_EL0 is EL1-only).
struct PmuCounters {
  int general;
  int fixed;
  std::string source;
};
std::optional<PmuCounters> pmu_counters();

// Executes exactly 2 * iterations instructions in a tight loop (a decrement
// and a branch each), for the known-answer check of `instructions`.
void known_instruction_loop(std::uint64_t iterations);
inline constexpr std::uint64_t kKnownLoopInstructionsPerIteration = 2;

// The cache-line size for access patterns that touch "a line".
std::size_t cache_line_bytes();

}  // namespace zs::platform
