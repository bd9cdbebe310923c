// The comparison behind `zeroscope events --check` (event_check.h). Each
// entry ends in one verdict with a detail line that shows both encodings,
// so that a difference can be fixed from the output alone.
#include "counters/event_check.h"

#include <array>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

namespace zs {

namespace {

std::string attr_text(const perf_event_attr& a) {
  std::string s = fmt::format("type={} config={:#x}", a.type, a.config);
  if (a.config1 != 0) s += fmt::format(" config1={:#x}", a.config1);
  if (a.config2 != 0) s += fmt::format(" config2={:#x}", a.config2);
  return s;
}

bool same_event(const perf_event_attr& a, const perf_event_attr& b) {
  return a.type == b.type && a.config == b.config && a.config1 == b.config1 &&
         a.config2 == b.config2;
}

// Compares libpfm4's encoding of `name` with the raw fallback's.
EntryCheck compare(EntryCheck e, const std::string& name, const EncodeResult& pfm,
                   const EncodeResult& raw, const std::string& lead) {
  const std::string p = attr_text(pfm.event->attr), r = attr_text(raw.event->attr);
  if (same_event(pfm.event->attr, raw.event->attr)) {
    e.verdict = CheckVerdict::agree;
    e.detail = fmt::format("{}{} {} = raw {}", lead, name, p, r);
  } else {
    e.verdict = CheckVerdict::differ;
    e.detail = fmt::format("{}{} {} but raw {}", lead, name, p, r);
  }
  return e;
}

// libpfm4 did not encode `name`: a table this build lacks (x86 for arm_*)
// is no verdict on the file; a table it has makes the name wrong. Asked
// only after a failure: with LIBPFM_FORCE_PMU, libpfm4 lists only the
// forced table although the others still encode by explicit prefix.
EntryCheck not_encoded(EntryCheck e, const std::string& name, const EncodeResult& r,
                       const CheckEncoder& enc, const std::string& lead) {
  const std::string t = pfm_table(name);
  if (!enc.has_table(t)) {
    e.verdict = CheckVerdict::no_table;
    e.detail = fmt::format("{}{}: this libpfm4 has no '{}' table", lead, name, t);
  } else {
    e.verdict = CheckVerdict::fails;
    e.detail = fmt::format("{}libpfm4 cannot encode it: {}", lead, r.error);
  }
  return e;
}

EntryCheck check_entry(const MetricDef& m, const std::string& table, const CheckEncoder& enc) {
  EntryCheck e;
  e.metric = m.metric;
  if (m.pfm.empty() && !m.raw->pmu.empty()) {
    e.detail = fmt::format("raw only, an event of the sysfs PMU '{}' (resolved on the machine)",
                           m.raw->pmu);
    return e;
  }
  if (m.pfm.empty()) {
    EncodeResult r = enc.raw(*m.raw);
    e.detail = fmt::format("raw only ({}); no libpfm4 string in the file, see its provenance",
                           r.event ? attr_text(r.event->attr) : r.error);
    if (!r.event) e.verdict = CheckVerdict::fails;
    return e;
  }
  EncodeResult p = enc.pfm(m.pfm);
  if (!p.event) return not_encoded(std::move(e), m.pfm, p, enc, "");
  const std::string pa = attr_text(p.event->attr);
  if (!m.raw) {
    e.detail = fmt::format("{} {}; no raw fallback to compare{}", m.pfm, pa,
                           m.scope == MetricScope::software ? " (a kernel software event)" : "");
    return e;
  }
  if (!m.raw->pmu.empty()) {
    e.detail = fmt::format(
        "{} {}; the raw fallback is an event of the sysfs PMU '{}', whose "
        "type is known only on the machine",
        m.pfm, pa, m.raw->pmu);
    return e;
  }
  EncodeResult r = enc.raw(*m.raw);
  if (!r.event) {
    e.verdict = CheckVerdict::fails;
    e.detail = fmt::format("raw fallback cannot be encoded: {}", r.error);
    return e;
  }
  if (pfm_table(m.pfm) != "perf") return compare(std::move(e), m.pfm, p, r, "");

  // A generic event: its type is PERF_TYPE_HARDWARE (or SOFTWARE) and the
  // kernel's PMU driver chooses the hardware event, so the raw fallback is
  // compared with the event the driver programs, taken from the core table.
  const std::string generic = fmt::format("{} is generic ({}); ", m.pfm, pa);
  const std::string name = arm_generic_event(m.pfm, table);
  if (name.empty()) {
    e.detail = generic + fmt::format(
                             "the kernel's PMU driver picks the hardware event; raw "
                             "fallback {} not compared ({})",
                             attr_text(r.event->attr),
                             table.empty() ? "no libpfm4 table of this core"
                                           : "only the arm64 driver's choice is known here");
    return e;
  }
  const std::string mapped = table + "::" + name;
  EncodeResult q = enc.pfm(mapped);
  if (!q.event)
    return not_encoded(std::move(e), mapped, q, enc,
                       generic + "the event the arm64 PMU driver maps it to: ");
  return compare(std::move(e), mapped, q, r, generic + "the arm64 PMU driver programs ");
}

}  // namespace

std::string_view to_string(CheckVerdict v) {
  switch (v) {
    case CheckVerdict::agree:
      return "agree";
    case CheckVerdict::differ:
      return "DIFFER";
    case CheckVerdict::fails:
      return "FAILS";
    case CheckVerdict::no_table:
      return "no-table";
    case CheckVerdict::not_compared:
      return "not-compared";
  }
  return "not-compared";
}

int FileCheck::count(CheckVerdict v) const {
  int n = 0;
  for (const auto& e : entries) n += e.verdict == v ? 1 : 0;
  return n;
}

std::string FileCheck::summary() const {
  std::string s =
      fmt::format("{} entries: {} agree, {} differ, {} fail to encode, {} not compared",
                  entries.size(), count(CheckVerdict::agree), count(CheckVerdict::differ),
                  count(CheckVerdict::fails), count(CheckVerdict::not_compared));
  if (int n = count(CheckVerdict::no_table); n > 0)
    s += fmt::format(", {} not checkable here (table missing from this libpfm4)", n);
  return s;
}

int FileCheck::exit_code() const {
  if (count(CheckVerdict::differ) + count(CheckVerdict::fails) > 0) return 1;
  return count(CheckVerdict::no_table) > 0 ? 77 : 0;
}

std::string pfm_table(const std::string& pfm) {
  auto sep = pfm.find("::");
  return sep == std::string::npos ? std::string() : pfm.substr(0, sep);
}

std::string core_table(const EventFile& f) {
  for (const auto& m : f.metrics)
    if (std::string t = pfm_table(m.pfm); !t.empty() && t != "perf") return t;
  return {};
}

std::string arm_generic_event(const std::string& pfm, const std::string& table) {
  if (table.rfind("arm_", 0) != 0) return {};
  // armv8_pmuv3_perf_map: the generic hardware events the PMUv3 driver
  // supports on every Armv8/v9 core, by their common event names.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kMap = {{
      {"perf::PERF_COUNT_HW_CPU_CYCLES", "CPU_CYCLES"},
      {"perf::PERF_COUNT_HW_INSTRUCTIONS", "INST_RETIRED"},
      {"perf::PERF_COUNT_HW_CACHE_REFERENCES", "L1D_CACHE"},
      {"perf::PERF_COUNT_HW_CACHE_MISSES", "L1D_CACHE_REFILL"},
      {"perf::PERF_COUNT_HW_BRANCH_MISSES", "BR_MIS_PRED"},
  }};
  for (const auto& [generic, event] : kMap)
    if (pfm == generic) return std::string(event);
  return {};
}

FileCheck check_event_file(const EventFile& f, const CheckEncoder& enc) {
  FileCheck c;
  c.table = core_table(f);
  for (const auto& m : f.metrics) c.entries.push_back(check_entry(m, c.table, enc));
  return c;
}

CheckEncoder libpfm_check_encoder() {
  CheckEncoder enc;
  enc.pfm = [](const std::string& pfm) { return encode_pfm_event(pfm); };
  enc.raw = [](const RawEvent& raw) {
    MetricDef m;
    m.raw = raw;
    return encode_metric(m);
  };
  enc.has_table = [](const std::string& table) {
    for (const auto& p : pfm_pmus(false))
      if (p.name == table) return true;
    return false;
  };
  return enc;
}

std::string force_arm_table(const std::string& table) {
  if (table.rfind("arm_", 0) != 0) return {};
  if (const char* f = std::getenv("LIBPFM_FORCE_PMU"); f != nullptr && *f != '\0')
    return fmt::format("LIBPFM_FORCE_PMU={} (from the environment)", f);
  ::setenv("LIBPFM_FORCE_PMU", table.c_str(), 1);
  return fmt::format("LIBPFM_FORCE_PMU={} (set by the check)", table);
}

bool pfm_table_active(const std::string& table) {
  for (const auto& p : pfm_pmus(true))
    if (p.name == table) return true;
  return false;
}

}  // namespace zs
