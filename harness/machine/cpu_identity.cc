// Which CPU this is, in the terms the event files match on: x86 vendor and
// display family/model from CPUID (the values the vendors' manuals, the
// kernel and libpfm4 use), arm64 MIDR fields from /proc/cpuinfo.
#include <cstring>
#include <fstream>
#include <string>

#include "counters/events.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace zs {

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The first value of each /proc/cpuinfo key we use (cpu0's block).
struct CpuInfo {
  std::string model_name, implementer, variant, part, revision;
};

CpuInfo read_cpuinfo() {
  CpuInfo ci;
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  auto take = [](std::string& dst, const std::string& v) {
    if (dst.empty()) dst = v;
  };
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
    if (key == "model name")
      take(ci.model_name, value);
    else if (key == "CPU implementer")
      take(ci.implementer, value);
    else if (key == "CPU variant")
      take(ci.variant, value);
    else if (key == "CPU part")
      take(ci.part, value);
    else if (key == "CPU revision")
      take(ci.revision, value);
  }
  return ci;
}

unsigned parse_num(const std::string& s) {
  try {
    return static_cast<unsigned>(std::stoul(s, nullptr, 0));
  } catch (...) {
    return 0;
  }
}

std::string arm_implementer_name(unsigned id) {
  switch (id) {
    case 0x41:
      return "ARM";
    case 0x42:
      return "Broadcom";
    case 0x43:
      return "Cavium";
    case 0x46:
      return "Fujitsu";
    case 0x48:
      return "HiSilicon";
    case 0x4e:
      return "NVIDIA";
    case 0x50:
      return "APM";
    case 0x51:
      return "Qualcomm";
    case 0x61:
      return "Apple";
    case 0x6d:
      return "Microsoft";
    case 0xc0:
      return "Ampere";
    default:
      return "implementer " + std::to_string(id);
  }
}

}  // namespace

CpuIdentity this_cpu() {
  CpuIdentity id;
  CpuInfo ci = read_cpuinfo();
  id.model_name = ci.model_name;
#if defined(__x86_64__) || defined(__i386__)
  id.arch = "x86_64";
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(0, &a, &b, &c, &d)) {
    char v[13] = {};
    std::memcpy(v, &b, 4);
    std::memcpy(v + 4, &d, 4);
    std::memcpy(v + 8, &c, 4);
    id.vendor = v;
  }
  if (__get_cpuid(1, &a, &b, &c, &d)) {
    // Display family/model (SDM Vol. 2A CPUID; AMD APM Vol. 3): the
    // extended family is added only when the base family is 0xf, the
    // extended model is prepended only for base family 0x6 or 0xf.
    unsigned base_family = (a >> 8) & 0xf, base_model = (a >> 4) & 0xf;
    id.family = base_family == 0xf ? base_family + ((a >> 20) & 0xff) : base_family;
    id.model = (base_family == 0x6 || base_family == 0xf) ? (((a >> 16) & 0xf) << 4) | base_model
                                                          : base_model;
    id.stepping = a & 0xf;
  }
#elif defined(__aarch64__)
  id.arch = "arm64";
  id.implementer = parse_num(ci.implementer);
  id.part = parse_num(ci.part);
  id.variant = parse_num(ci.variant);
  id.revision = parse_num(ci.revision);
  id.vendor = arm_implementer_name(id.implementer);
#else
  id.arch = "unknown";
#endif
  (void)parse_num;
  (void)arm_implementer_name;
  return id;
}

}  // namespace zs
