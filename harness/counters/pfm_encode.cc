// From an event file's entry to a perf_event_attr: libpfm4 first, the raw
// fallback when libpfm4 does not know the event or its PMU, and sysfs for
// PMUs with a dynamic type (power, amd_l3). Every result says which path
// produced it, so a substituted encoding is never silent.
// counters/events.h first: it includes <linux/perf_event.h>, which
// libpfm4's own copy of the perf_event definitions then steps aside for.
#include "counters/events.h"

#include <dlfcn.h>
#include <perfmon/pfmlib_perf_event.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include <fmt/format.h>

#include "machine/sysfs.h"

namespace zs {

namespace {

int pfm_init_result() {
  static int rc = [] {
    // libpfm4 detects the host CPU from the CPU's identification (x86) or
    // /proc/cpuinfo (arm64) and, by default, refuses to encode for tables of
    // any other CPU. The event files name their table explicitly (spr:: on
    // Emerald Rapids, amd64_fam19h_zen4:: on Zen 5, which libpfm4 4.13 does
    // not know), and `zeroscope events --uarch` lists other machines' files;
    // both need the inactive tables. The variable is read once, inside
    // pfm_initialize(), so it is set here, in this process, just before.
    // Setting it affects only which tables may encode: the encodings
    // themselves are unchanged.
    ::setenv("LIBPFM_ENCODE_INACTIVE", "1", 1);
    return pfm_initialize();
  }();
  return rc;
}

std::string event_source_dir() {
  // Overridable so that tests can give a fake PMU (power with energy-pkg).
  if (const char* d = std::getenv("ZS_EVENT_SOURCE_DIR"); d != nullptr && *d != '\0') return d;
  return "/sys/bus/event_source/devices";
}

// "skx::OFFCORE_RESPONSE_0:DMND_DATA_RD:L3_MISS_LOCAL:SNP_ANY:e=0:i=0:u=1"
// -> the event and its unit masks, without the modifier settings.
std::string without_modifiers(const std::string& fstr) {
  std::string out, part;
  std::size_t start = 0;
  while (start <= fstr.size()) {
    std::size_t colon = fstr.find(':', start);
    if (colon == std::string::npos) colon = fstr.size();
    // "pmu::EVENT": the empty piece between the two colons belongs to the prefix.
    part = fstr.substr(start, colon - start);
    if (part.find('=') == std::string::npos) out += (start == 0 ? "" : ":") + part;
    start = colon + 1;
  }
  while (!out.empty() && out.back() == ':') out.pop_back();
  return out;
}

struct PfmAttempt {
  std::optional<EncodedEvent> event;
  std::string error;
};

PfmAttempt encode_pfm(const std::string& name) {
  if (int rc = pfm_init_result(); rc != PFM_SUCCESS)
    return {std::nullopt, fmt::format("pfm_initialize: {}", pfm_strerror(rc))};
  EncodedEvent ev;
  ev.attr = {};
  ev.attr.size = sizeof ev.attr;  // first: libpfm4 fills only attr.size bytes
  char* fstr = nullptr;
  pfm_perf_encode_arg_t arg = {};
  arg.attr = &ev.attr;
  arg.fstr = &fstr;
  arg.size = sizeof arg;
  int rc =
      pfm_get_os_event_encoding(name.c_str(), PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
  std::string canonical = fstr != nullptr ? without_modifiers(fstr) : name;
  std::free(fstr);
  if (rc != PFM_SUCCESS) return {std::nullopt, fmt::format("{}: {}", name, pfm_strerror(rc))};

  // A table for a PMU with its own perf type (uncore, RAPL) resolves that
  // type from sysfs; when the PMU is absent libpfm4 4.13 leaves
  // PERF_TYPE_RAW, which would program a core event with the same code.
  pfm_event_info_t info = {};
  info.size = sizeof info;
  pfm_pmu_info_t pmu = {};
  pmu.size = sizeof pmu;
  if (pfm_get_event_info(arg.idx, PFM_OS_PERF_EVENT_EXT, &info) == PFM_SUCCESS &&
      pfm_get_pmu_info(info.pmu, &pmu) == PFM_SUCCESS && pmu.type == PFM_PMU_TYPE_UNCORE &&
      ev.attr.type == PERF_TYPE_RAW)
    return {std::nullopt,
            fmt::format("{}: PMU '{}' is not a core PMU and has no sysfs entry here; libpfm4 would "
                        "have encoded it as a core raw event",
                        name, pmu.name)};

  // The counter code sets the privilege and guest/host bits; libpfm4 sets
  // them differently per table (exclude_hv on AMD, exclude_guest with mg=0).
  ev.attr.exclude_user = ev.attr.exclude_kernel = ev.attr.exclude_hv = 0;
  ev.attr.exclude_guest = ev.attr.exclude_host = 0;
  ev.attr.size = sizeof ev.attr;
  ev.via = "libpfm4 " + canonical;
  return {ev, ""};
}

// The kernel's sysfs convention: format/<term> holds "config:0-7" or
// "config1:0-15,32-35"; the term's value fills those bits, low bits first.
std::optional<std::string> place_term(const std::string& pmu_dir, const std::string& term,
                                      std::uint64_t value, perf_event_attr& attr) {
  auto fmt_str = sysfs::read(pmu_dir + "/format/" + term);
  if (!fmt_str) return fmt::format("{}/format/{}: missing", pmu_dir, term);
  auto colon = fmt_str->find(':');
  if (colon == std::string::npos)
    return fmt::format("{}/format/{}: '{}' is not field:bits", pmu_dir, term, *fmt_str);
  std::string field = fmt_str->substr(0, colon);
  __u64* dst = field == "config"    ? &attr.config
               : field == "config1" ? &attr.config1
               : field == "config2" ? &attr.config2
                                    : nullptr;
  if (dst == nullptr) return fmt::format("{}/format/{}: unknown field '{}'", pmu_dir, term, field);
  std::string bits = fmt_str->substr(colon + 1);
  unsigned used = 0;
  std::size_t pos = 0;
  while (pos < bits.size()) {
    std::size_t comma = bits.find(',', pos);
    std::string range =
        bits.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? bits.size() : comma + 1;
    unsigned lo = 0, hi = 0;
    if (std::sscanf(range.c_str(), "%u-%u", &lo, &hi) != 2)
      hi = lo = static_cast<unsigned>(std::atoi(range.c_str()));
    if (hi < lo || hi > 63)
      return fmt::format("{}/format/{}: bad bit range '{}'", pmu_dir, term, range);
    for (unsigned b = lo; b <= hi; ++b, ++used)
      if (used < 64 && ((value >> used) & 1)) *dst |= 1ull << b;
  }
  if (used < 64 && (value >> used) != 0)
    return fmt::format("value {:#x} of term '{}' does not fit {}", value, term, *fmt_str);
  return std::nullopt;
}

PfmAttempt encode_raw(const RawEvent& raw) {
  EncodedEvent ev;
  ev.attr = {};
  ev.attr.size = sizeof ev.attr;
  if (raw.pmu.empty()) {
    ev.attr.type = PERF_TYPE_RAW;
    ev.attr.config = raw.config;
    ev.attr.config1 = raw.config1;
    ev.attr.config2 = raw.config2;
    ev.via = fmt::format("raw PERF_TYPE_RAW config={:#x}", raw.config);
    if (raw.config1 != 0) ev.via += fmt::format(" config1={:#x}", raw.config1);
    if (raw.config2 != 0) ev.via += fmt::format(" config2={:#x}", raw.config2);
    return {ev, ""};
  }
  const std::string root = event_source_dir(), dir = root + "/" + raw.pmu;
  auto type = sysfs::read_u64(dir + "/type");
  if (!type) return {std::nullopt, fmt::format("PMU '{}' not present in {}", raw.pmu, root)};
  ev.attr.type = static_cast<std::uint32_t>(*type);
  if (raw.event.empty()) {
    ev.attr.config = raw.config;
    ev.attr.config1 = raw.config1;
    ev.attr.config2 = raw.config2;
    ev.via = fmt::format("raw {} (type {}) config={:#x}", raw.pmu, *type, raw.config);
    return {ev, ""};
  }
  const std::string evpath = dir + "/events/" + raw.event;
  auto terms = sysfs::read(evpath);
  if (!terms)
    return {std::nullopt,
            fmt::format("PMU '{}' has no event '{}' ({} missing)", raw.pmu, raw.event, evpath)};
  std::size_t pos = 0;
  while (pos < terms->size()) {
    std::size_t comma = terms->find(',', pos);
    std::string t =
        terms->substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? terms->size() : comma + 1;
    auto eq = t.find('=');
    std::string name = t.substr(0, eq);
    std::uint64_t value = 1;
    if (eq != std::string::npos) {
      char* end = nullptr;
      value = std::strtoull(t.c_str() + eq + 1, &end, 0);
      if (end == t.c_str() + eq + 1 || *end != '\0')
        return {std::nullopt, fmt::format("{}: term '{}' has no numeric value", evpath, t)};
    }
    if (auto err = place_term(dir, name, value, ev.attr)) return {std::nullopt, *err};
  }
  ev.via = fmt::format("raw {} (type {}) {} '{}' -> config={:#x}", raw.pmu, *type, evpath, *terms,
                       ev.attr.config);
  if (ev.attr.config != raw.config)
    ev.via += fmt::format(" (the event file expected {:#x}; sysfs is used)", raw.config);
  if (auto scale = sysfs::read(evpath + ".scale")) {
    ev.scale = std::strtod(scale->c_str(), nullptr);
    ev.via += fmt::format(", scale {}", *scale);
  }
  if (auto unit = sysfs::read(evpath + ".unit")) ev.via += " " + *unit;
  return {ev, ""};
}

}  // namespace

EncodeResult encode_metric(const MetricDef& m) {
  EncodeResult r;
  std::string pfm_error;
  if (!m.pfm.empty()) {
    PfmAttempt a = encode_pfm(m.pfm);
    if (a.event) {
      r.event = std::move(a.event);
      return r;
    }
    pfm_error = a.error;
  }
  if (!m.raw) {
    r.error = fmt::format("libpfm4: {}; the entry has no raw fallback", pfm_error);
    return r;
  }
  PfmAttempt a = encode_raw(*m.raw);
  if (!a.event) {
    r.error =
        m.pfm.empty() ? a.error : fmt::format("libpfm4: {}; raw fallback: {}", pfm_error, a.error);
    return r;
  }
  a.event->via = m.pfm.empty()
                     ? a.event->via + " (no libpfm4 string in the event file)"
                     : fmt::format("raw fallback ({}), libpfm4: {}", a.event->via, pfm_error);
  r.event = std::move(a.event);
  return r;
}

EncodeResult encode_pfm_event(const std::string& pfm) {
  PfmAttempt a = encode_pfm(pfm);
  return {std::move(a.event), a.error};
}

std::string pfm_version() {
  // pfm_get_version() reports 4.0 for every 4.x release; the installed
  // library's file name (libpfm.so.4.13.0) tells the release apart.
  int v = pfm_get_version();
  std::string api =
      v >= 0 ? fmt::format("{}.{}", PFM_MAJ_VERSION(v), PFM_MIN_VERSION(v)) : "unknown";
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&pfm_initialize), &info) != 0 && info.dli_fname != nullptr) {
    std::error_code ec;
    std::string real = std::filesystem::canonical(info.dli_fname, ec).filename().string();
    auto so = real.find(".so.");
    if (!ec && so != std::string::npos && real.find('.', so + 4) != std::string::npos)
      return fmt::format("{} ({}; pfm_get_version() {})", real.substr(so + 4), real, api);
  }
  return fmt::format("{} (pfm_get_version(); the minor release is not reported)", api);
}

std::vector<PfmPmu> pfm_pmus(bool present_only) {
  std::vector<PfmPmu> out;
  if (pfm_init_result() != PFM_SUCCESS) return out;
  // pfm_for_all_pmus() increments an enum, which C++ does not allow.
  for (int p = PFM_PMU_NONE; p < PFM_PMU_MAX; ++p) {
    pfm_pmu_info_t info = {};
    info.size = sizeof info;
    if (pfm_get_pmu_info(static_cast<pfm_pmu_t>(p), &info) != PFM_SUCCESS) continue;
    if (present_only && !info.is_present) continue;
    const char* type = info.type == PFM_PMU_TYPE_CORE         ? "core"
                       : info.type == PFM_PMU_TYPE_UNCORE     ? "uncore"
                       : info.type == PFM_PMU_TYPE_OS_GENERIC ? "os"
                                                              : "unknown";
    // counters: generic plus fixed, as libpfm4's table declares them.
    out.push_back({info.name, info.desc ? info.desc : "", info.is_present != 0, type,
                   info.num_cntrs + info.num_fixed_cntrs});
  }
  return out;
}

}  // namespace zs
