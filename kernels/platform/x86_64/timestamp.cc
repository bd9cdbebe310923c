// Where the TSC's rate comes from on x86_64, whether it is constant, and
// the hypervisor leaves that can state it.
#include <charconv>
#include <fstream>
#include <string>

#include "platform/platform.h"
#include "primitives/x86_64/cpuid.h"

namespace zs::platform {
namespace {

std::string hex(std::uint32_t v) {
  char buf[16];
  auto end = std::to_chars(buf, buf + sizeof buf, v, 16).ptr;
  return "0x" + std::string(buf, end);
}

RateAnswer leaf_0x15() {
  if (x86::max_leaf(0) < 0x15)
    return {std::nullopt,
            "CPUID leaf 0x15: not offered (max basic leaf " + hex(x86::max_leaf(0)) + ")"};
  x86::Regs r = x86::cpuid(0x15);
  // EAX/EBX the TSC/crystal ratio, ECX the crystal in Hz; many parts leave
  // ECX 0 and the kernel then guesses the crystal from the model: not ours
  // to guess.
  if (r.eax == 0 || r.ebx == 0 || r.ecx == 0)
    return {std::nullopt, "CPUID leaf 0x15: incomplete (EAX " + std::to_string(r.eax) + " EBX " +
                              std::to_string(r.ebx) + " ECX " + std::to_string(r.ecx) + ")"};
  return {double(r.ecx) * r.ebx / r.eax, "CPUID leaf 0x15 (crystal " + std::to_string(r.ecx) +
                                             " Hz x " + std::to_string(r.ebx) + "/" +
                                             std::to_string(r.eax) + ")"};
}

// Not a mainline file: some distribution kernels export the rate they
// calibrated or read.
RateAnswer kernel_tsc_freq_khz() {
  const std::string path = "/sys/devices/system/cpu/cpu0/tsc_freq_khz";
  std::ifstream in(path);
  unsigned long long khz = 0;
  if (in >> khz && khz > 0) return {double(khz) * 1000.0, "kernel (" + path + ")"};
  return {std::nullopt, "kernel: " + path + " absent (not a mainline file)"};
}

RateAnswer leaf_0x40000010() {
  const Hypervisor hv = hypervisor();
  if (!hv.present.value_or(false))
    return {std::nullopt, "CPUID leaf 0x40000010: no hypervisor (CPUID 1 ECX bit 31 clear)"};
  if (hv.max_leaf < 0x40000010)
    return {std::nullopt, "CPUID leaf 0x40000010: beyond the hypervisor's range (max " +
                              hex(hv.max_leaf) + ", " + hv.vendor.value_or("no vendor") + ")"};
  x86::Regs r = x86::cpuid(0x40000010);  // EAX: TSC kHz, EBX: APIC bus kHz
  if (r.eax == 0)
    return {std::nullopt, "CPUID leaf 0x40000010: TSC frequency 0 (not filled by the hypervisor)"};
  return {double(r.eax) * 1000.0, "CPUID leaf 0x40000010 (hypervisor " +
                                      hv.vendor.value_or("unnamed") + ", " + std::to_string(r.eax) +
                                      " kHz)"};
}

constexpr RateSource kSources[] = {
    {"cpuid-0x15", leaf_0x15},
    {"kernel", kernel_tsc_freq_khz},
    {"hypervisor", leaf_0x40000010},
};

}  // namespace

std::span<const RateSource> timestamp_rate_sources() { return kSources; }

TimestampConstancy timestamp_constancy() {
  TimestampConstancy c;
  if (x86::max_leaf(0x80000000) >= 0x80000007) {
    c.invariant = x86::bit(x86::cpuid(0x80000007).edx, 8);
    c.invariant_source = "CPUID 0x80000007 EDX bit 8";
  } else {
    c.invariant_source = "CPUID leaf 0x80000007 not offered (max extended leaf " +
                         hex(x86::max_leaf(0x80000000)) + ")";
  }
  c.kernel_flags = true;
  return c;
}

Hypervisor hypervisor() {
  Hypervisor hv;
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
  const std::uint32_t regs[3] = {b, c, d};
  for (int i = 0; i < 12; ++i) v[i] = char(regs[i / 4] >> (8 * (i % 4)));
  std::string vendor(v);
  while (!vendor.empty() && (vendor.back() == ' ' || vendor.back() == '\0')) vendor.pop_back();
  if (!vendor.empty()) hv.vendor = vendor;
  hv.source = "CPUID 1 ECX bit 31, leaf 0x40000000 EBX:ECX:EDX";
  return hv;
}

}  // namespace zs::platform
