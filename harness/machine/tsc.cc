// The CPUID and system-register reads below are the only architecture-
// specific code of the harness outside kernels/; they stay in this file,
// each behind one function of tsc.h, until kernels/platform offers them.
#include "machine/tsc.h"

#include <time.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include <fmt/format.h>

#include "platform/platform.h"
#include "machine/sysfs.h"

#if defined(__x86_64__)
#include "primitives/x86_64/cpuid.h"
#endif

namespace zs {
namespace {

std::int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// A timestamp and a CLOCK_MONOTONIC reading taken together: of a few
// tries, the one with the shortest bracket, so that an interrupt or a
// preemption between the two reads does not bias the pair.
struct Pair {
  std::uint64_t ts;
  std::int64_t ns;
};
Pair paired_read() {
  Pair best{};
  std::uint64_t best_width = UINT64_MAX;
  for (int i = 0; i < 7; ++i) {
    std::uint64_t t0 = platform::timestamp();
    std::int64_t ns = monotonic_ns();
    std::uint64_t t1 = platform::timestamp();
    if (t1 >= t0 && t1 - t0 < best_width) {
      best_width = t1 - t0;
      best = {t0 + (t1 - t0) / 2, ns};
    }
  }
  return best;
}

void sleep_for(std::chrono::milliseconds d) {
  timespec req{static_cast<time_t>(d.count() / 1000),
               static_cast<long>(d.count() % 1000) * 1000000};
  while (clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &req) == EINTR) {
  }
}

TscInfo calibrated(TscInfo info) {
  auto c = calibrate_tsc();
  if (!c) {
    info.source = "no timestamp counter on this architecture";
    return info;
  }
  info.hz = c->hz;
  info.source = fmt::format("calibrated against CLOCK_MONOTONIC ({} x {} ms, median)",
                            c->runs_hz.size(), c->each.count());
  info.calibration = std::move(c);
  return info;
}

#if defined(__x86_64__)
bool is_amd(const x86::Regs& leaf0) {
  return leaf0.ebx == 0x68747541 || leaf0.ebx == 0x6f677948;  // AuthenticAMD, HygonGenuine
}

std::optional<double> leaf_0x15(std::string& source, std::string& why) {
  if (x86::max_leaf(0) < 0x15) {
    why = fmt::format("CPUID leaf 0x15: not offered (max basic leaf 0x{:x})", x86::max_leaf(0));
    return std::nullopt;
  }
  x86::Regs r = x86::cpuid(0x15);
  // EAX/EBX the TSC/crystal ratio, ECX the crystal in Hz; many parts leave
  // ECX 0 and the kernel then guesses the crystal from the model: not ours
  // to guess.
  if (r.eax == 0 || r.ebx == 0 || r.ecx == 0) {
    why = fmt::format("CPUID leaf 0x15: incomplete (EAX {} EBX {} ECX {})", r.eax, r.ebx, r.ecx);
    return std::nullopt;
  }
  source = fmt::format("CPUID leaf 0x15 (crystal {} Hz x {}/{})", r.ecx, r.ebx, r.eax);
  return double(r.ecx) * r.ebx / r.eax;
}

std::optional<double> leaf_0x40000010(std::string& source, std::string& why) {
  HypervisorInfo hv = cpu_hypervisor();
  if (!hv.present.value_or(false)) {
    why = "CPUID leaf 0x40000010: no hypervisor (CPUID 1 ECX bit 31 clear)";
    return std::nullopt;
  }
  if (hv.max_leaf < 0x40000010) {
    why = fmt::format("CPUID leaf 0x40000010: beyond the hypervisor's range (max 0x{:x}, {})",
                      hv.max_leaf, hv.vendor.value_or("no vendor"));
    return std::nullopt;
  }
  x86::Regs r = x86::cpuid(0x40000010);  // EAX: TSC kHz, EBX: APIC bus kHz
  if (r.eax == 0) {
    why = "CPUID leaf 0x40000010: TSC frequency 0 (not filled by the hypervisor)";
    return std::nullopt;
  }
  source = fmt::format("CPUID leaf 0x40000010 (hypervisor {}, {} kHz)",
                       hv.vendor.value_or("unnamed"), r.eax);
  return double(r.eax) * 1000.0;
}
#endif

}  // namespace

std::optional<TscCalibration> calibrate_tsc(int runs, std::chrono::milliseconds each) {
  if (platform::timestamp_name().empty() || runs < 1) return std::nullopt;
  TscCalibration c;
  c.each = each;
  for (int i = 0; i < runs; ++i) {
    Pair a = paired_read();
    sleep_for(each);
    Pair b = paired_read();
    if (b.ns <= a.ns || b.ts <= a.ts) continue;
    c.runs_hz.push_back(double(b.ts - a.ts) * 1e9 / double(b.ns - a.ns));
  }
  if (c.runs_hz.empty()) return std::nullopt;
  std::vector<double> sorted = c.runs_hz;
  std::sort(sorted.begin(), sorted.end());
  std::size_t n = sorted.size();
  c.hz = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  c.spread_hz = sorted.back() - sorted.front();
  return c;
}

TscInfo tsc_info(bool force_calibration) {
  TscInfo info;
  info.counter = std::string(platform::timestamp_name());
#if defined(__x86_64__)
  if (x86::max_leaf(0x80000000) >= 0x80000007) {
    info.invariant = x86::bit(x86::cpuid(0x80000007).edx, 8);
    info.invariant_source = "CPUID 0x80000007 EDX bit 8";
  } else {
    info.invariant_source = fmt::format(
        "CPUID leaf 0x80000007 not offered (max extended leaf 0x{:x})", x86::max_leaf(0x80000000));
  }
  std::set<std::string> flags = x86::kernel_cpu_flags();
  if (flags.empty()) {
    info.flags_source = "/proc/cpuinfo has no readable flags line";
  } else {
    info.constant_tsc = flags.count("constant_tsc") > 0;
    info.nonstop_tsc = flags.count("nonstop_tsc") > 0;
    info.flags_source = "/proc/cpuinfo flags";
  }
  if (force_calibration) {
    info.skipped.push_back("calibration forced");
    return calibrated(std::move(info));
  }
  std::string source, why;
  if (auto hz = leaf_0x15(source, why)) {
    info.hz = hz;
    info.source = source;
    return info;
  }
  info.skipped.push_back(why);
  const std::string khz_path = "/sys/devices/system/cpu/cpu0/tsc_freq_khz";
  if (auto khz = sysfs::read_u64(khz_path); khz && *khz > 0) {
    info.hz = double(*khz) * 1000.0;
    info.source = "kernel (" + khz_path + ")";
    return info;
  }
  info.skipped.push_back("kernel: " + khz_path + " absent (not a mainline file)");
  if (auto hz = leaf_0x40000010(source, why)) {
    info.hz = hz;
    info.source = source;
    return info;
  }
  info.skipped.push_back(why);
  return calibrated(std::move(info));
#elif defined(__aarch64__)
  info.invariant = true;
  info.invariant_source = "arm generic timer: constant rate by architecture";
  info.flags_source = "constant_tsc/nonstop_tsc are x86 /proc/cpuinfo flags";
  if (force_calibration) {
    info.skipped.push_back("calibration forced");
    return calibrated(std::move(info));
  }
  std::uint64_t frq;
  asm volatile("mrs %0, cntfrq_el0" : "=r"(frq));
  if (frq != 0) {
    info.hz = double(frq);
    info.source = "cntfrq_el0";
    return info;
  }
  // Firmware must program CNTFRQ_EL0; some boot loaders forget.
  info.skipped.push_back("cntfrq_el0 is 0 (not programmed by firmware)");
  return calibrated(std::move(info));
#else
  (void)force_calibration;
  info.source = "no timestamp counter on this architecture";
  info.invariant_source = info.source;
  info.flags_source = info.source;
  return info;
#endif
}

HypervisorInfo cpu_hypervisor() {
  HypervisorInfo hv;
#if defined(__x86_64__)
  hv.present = x86::bit(x86::cpuid(1).ecx, 31);
  if (!*hv.present) {
    hv.source = "CPUID 1 ECX bit 31 clear";
    return hv;
  }
  // Leaf 0x40000000 exists only under a hypervisor; __get_cpuid_max would
  // clamp it to the basic range, so read it directly.
  std::uint32_t a, b, c, d;
  __cpuid(0x40000000, a, b, c, d);
  hv.max_leaf = a;
  char v[13] = {};
  std::uint32_t regs[3] = {b, c, d};
  for (int i = 0; i < 12; ++i) v[i] = char(regs[i / 4] >> (8 * (i % 4)));
  std::string vendor(v);
  while (!vendor.empty() && (vendor.back() == ' ' || vendor.back() == '\0')) vendor.pop_back();
  if (!vendor.empty()) hv.vendor = vendor;
  hv.source = "CPUID 1 ECX bit 31, leaf 0x40000000 EBX:ECX:EDX";
#else
  hv.source = "no architectural hypervisor-present bit outside x86 (CPUID)";
#endif
  return hv;
}

std::vector<CpuCache> cpuid_caches() {
  std::vector<CpuCache> out;
#if defined(__x86_64__)
  x86::Regs v = x86::cpuid(0);
  const bool amd = is_amd(v);
  std::uint32_t leaf = 0;
  if (amd && x86::max_leaf(0x80000000) >= 0x8000001d && x86::bit(x86::cpuid(0x80000001).ecx, 22))
    leaf = 0x8000001d;  // TopologyExtensions
  else if (!amd && x86::max_leaf(0) >= 4)
    leaf = 4;
  if (leaf != 0) {
    for (std::uint32_t sub = 0; sub < 16; ++sub) {
      x86::Regs r = x86::cpuid(leaf, sub);
      unsigned type = r.eax & 0x1f;  // 0 none, 1 data, 2 instruction, 3 unified
      if (type == 0) break;
      if (type == 2) continue;
      std::uint64_t ways = ((r.ebx >> 22) & 0x3ff) + 1, parts = ((r.ebx >> 12) & 0x3ff) + 1,
                    line = (r.ebx & 0xfff) + 1, sets = std::uint64_t(r.ecx) + 1;
      out.push_back({int((r.eax >> 5) & 0x7), type == 1 ? "Data" : "Unified",
                     ways * parts * line * sets,
                     fmt::format("CPUID leaf 0x{:x} subleaf {}", leaf, sub)});
    }
  }
  // Hypervisors often advertise TopologyExtensions yet return an empty
  // 0x8000001D; AMD's legacy descriptors still hold L1d and L2.
  if (out.empty() && amd) {
    std::uint32_t ext = x86::max_leaf(0x80000000);
    if (ext >= 0x80000005)
      if (std::uint64_t kb = x86::cpuid(0x80000005).ecx >> 24; kb != 0)
        out.push_back({1, "Data", kb << 10, "CPUID leaf 0x80000005 ECX[31:24]"});
    if (ext >= 0x80000006)
      if (std::uint64_t kb = x86::cpuid(0x80000006).ecx >> 16; kb != 0)
        out.push_back({2, "Unified", kb << 10, "CPUID leaf 0x80000006 ECX[31:16]"});
  }
#endif
  return out;
}

}  // namespace zs
