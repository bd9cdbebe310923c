// The capability record for people (`zeroscope info`): what each section
// shows, laid out by RecordText.
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "machine/capability.h"
#include "machine/kernel_path_text.h"
#include "machine/record_text.h"

namespace zs {
namespace {

using nlohmann::json;

std::string hex(const RecordText& t, const std::string& path) {
  const json* v = t.at(path);
  if (v == nullptr || !v->is_number()) return t.str(path);
  return fmt::format("0x{:x}", v->get<std::uint64_t>());
}

// Where the record was taken under emulation, the signals that said so.
void emulation_text(RecordText& t) {
  std::string v = t.str("emulation");
  if (const json* ev = t.at("emulation_evidence"); ev && ev->is_array() && !ev->empty()) {
    v += ": timings and counters describe the emulator";
    for (const json& s : *ev) v += fmt::format("\n{}", s.value("why", ""));
  }
  t.row("emulation", v);
}

void cpu(RecordText& t) {
  t.section("CPU");
  t.field("architecture", "cpu.arch");
  t.field("vendor", "cpu.vendor");
  if (t.known("cpu.family"))
    t.row("family/model/stepping", fmt::format("{} / {} / {}", hex(t, "cpu.family"),
                                               hex(t, "cpu.model"), t.str("cpu.stepping")));
  if (t.known("cpu.implementer"))
    t.row("implementer/part/var/rev",
          fmt::format("{} / {} / {} / {}", hex(t, "cpu.implementer"), hex(t, "cpu.part"),
                      t.str("cpu.variant"), t.str("cpu.revision")));
  t.field("model name", "cpu.model_name");
  t.row("microarchitecture", t.str("cpu.uarch") + " (" + t.str("cpu.uarch_why") + ")");
  t.field("microcode", "cpu.microcode");
  std::string hv = t.str("cpu.hypervisor.present");
  if (t.known("cpu.hypervisor.vendor")) hv += ", vendor '" + t.str("cpu.hypervisor.vendor") + "'";
  if (t.known("cpu.hypervisor.max_leaf")) hv += ", max leaf " + t.str("cpu.hypervisor.max_leaf");
  t.row("hypervisor", hv + " (" + t.str("cpu.hypervisor.source") + ")");
  t.row("online CPUs",
        t.str("cpu.online") +
            (t.known("cpu.online_list") ? " (" + t.str("cpu.online_list") + ")" : ""));
  t.row("SMT active", t.str("cpu.smt.active") + ", control " + t.str("cpu.smt.control"));
}

void kernel(RecordText& t) {
  t.section("Kernel");
  t.field("release", "kernel.release");
  t.field("version", "kernel.version");
  t.field("command line", "kernel.cmdline");
  const bool dynamic =
      t.known("kernel.preemption.dynamic") && t.at("kernel.preemption.dynamic")->get<bool>();
  t.row("preemption", t.str("kernel.preemption.model") + (dynamic ? " (PREEMPT_DYNAMIC)" : "") +
                          "\nsource: " + t.str("kernel.preemption.source"));
  kernel_zeroing_text(t);
}

void tsc(RecordText& t) {
  t.section("Timestamp counter");
  t.field("counter", "tsc.counter");
  std::string f = t.known("tsc.hz") ? fmt::format("{:.3f} MHz", t.at("tsc.hz")->get<double>() / 1e6)
                                    : t.unknown("tsc.hz");
  t.row("frequency", f + "\nsource: " + t.str("tsc.source"));
  if (t.known("tsc.calibration")) {
    std::vector<double> mhz;
    for (const auto& r : *t.at("tsc.calibration.runs_hz")) mhz.push_back(r.get<double>() / 1e6);
    const std::string runs = fmt::format("{:.3f}", fmt::join(mhz, ", "));
    t.row("calibration",
          fmt::format("{} x {} ms against {}: {} MHz; spread {:.0f} Hz ({:.1f} ppm)",
                      t.at("tsc.calibration.runs_hz")->size(), t.str("tsc.calibration.each_ms"),
                      t.str("tsc.calibration.clock"), runs,
                      t.at("tsc.calibration.spread_hz")->get<double>(),
                      t.at("tsc.calibration.spread_ppm")->get<double>()));
  }
  if (t.known("tsc.skipped") && !t.at("tsc.skipped")->empty()) {
    const auto skipped = t.at("tsc.skipped")->get<std::vector<std::string>>();
    t.row("sources not used", fmt::format("{}", fmt::join(skipped, "\n")));
  }
  std::string inv = t.str("tsc.invariant");
  if (t.known("tsc.invariant")) inv += " (" + t.str("tsc.invariant_source") + ")";
  t.row("invariant", inv);
  t.field("constant_tsc", "tsc.constant_tsc");
  t.field("nonstop_tsc", "tsc.nonstop_tsc");
}

void perf(RecordText& t) {
  t.section("Performance counters");
  t.field("libpfm4 version", "perf.libpfm_version");
  std::vector<std::string> pmus;
  if (const json* p = t.at("perf.libpfm_pmus"); p && p->is_array())
    for (const auto& e : *p)
      pmus.push_back(fmt::format("{} ({}, {} counters): {}", e.value("name", ""),
                                 e.value("type", ""), e.value("counters", 0), e.value("desc", "")));
  t.row("libpfm4 PMUs", pmus.empty() ? "none detected" : fmt::format("{}", fmt::join(pmus, "\n")));
  t.row("hardware PMU", t.str("perf.access.hardware") + ": " + t.str("perf.access.hardware_why"));
  t.row("kernel counting", t.str("perf.access.kernel") + ": " + t.str("perf.access.kernel_why"));
  std::string counters = t.str("perf.access.counters");
  if (t.known("perf.access.counters"))
    counters += " (" + t.str("perf.access.counters_source") + ")";
  t.row("counters per thread", counters);
  t.field("perf_event_paranoid", "perf.perf_event_paranoid");
  t.field("rdpmc", "perf.access.rdpmc");
  t.field("nmi_watchdog", "perf.nmi_watchdog");
  t.field("event sources", "perf.event_source_devices");
}

void thp(RecordText& t) {
  t.section("Transparent huge pages");
  t.field("enabled", "thp.enabled");
  t.field("defrag", "thp.defrag");
  t.row("PMD size", t.bytes("thp.pmd_bytes"));
  if (!t.known("thp.sizes")) {
    t.row("sizes", t.str("thp.sizes"));
    return;
  }
  for (const auto& s : *t.at("thp.sizes")) {
    std::string e = s.value("enabled", ""), eff = s.value("effective", "");
    t.row("size " + bytes_text(s["bytes"]), e == eff ? e : e + " -> " + eff);
  }
}

void hugetlb(RecordText& t) {
  t.section("Hugetlb pools");
  if (!t.known("hugetlb")) {
    t.row("pools", t.str("hugetlb"));
    return;
  }
  const json& pools = *t.at("hugetlb");
  if (pools.empty()) t.row("pools", "none");
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const std::string at = "hugetlb." + std::to_string(i) + ".";
    t.row(t.bytes(at + "page_bytes"),
          fmt::format("total {}, free {}, resv {}, surplus {}", t.str(at + "total"),
                      t.str(at + "free"), t.str(at + "resv"), t.str(at + "surplus")));
  }
}

void caches(RecordText& t) {
  t.section("Caches");
  t.row("last level", t.known("caches.llc")
                          ? t.bytes("caches.llc.bytes") + " (" + t.str("caches.llc.source") + ")"
                          : t.unknown("caches.llc"));
  if (!t.known("caches.levels")) {
    t.row("levels", t.unknown("caches.levels"));
    return;
  }
  for (const auto& c : *t.at("caches.levels"))
    t.row(fmt::format("L{} {}", c.value("level", 0), c.value("type", "")),
          bytes_text(c["bytes"]) + " (" + c.value("source", "") + ")");
}

void numa(RecordText& t) {
  t.section("NUMA");
  if (!t.known("numa")) {
    t.row("nodes", t.str("numa"));
    return;
  }
  t.row("nodes", t.str("numa.nodes") + " (" + t.str("numa.online_list") + ")");
  const json* per = t.at("numa.per_node");
  for (std::size_t i = 0; per && i < per->size(); ++i) {
    const std::string at = "numa.per_node." + std::to_string(i) + ".";
    t.row("node " + t.str(at + "node"),
          t.bytes(at + "mem_total_bytes") + " total, " + t.bytes(at + "mem_free_bytes") + " free");
  }
}

void cpufreq(RecordText& t) {
  t.section("CPU frequency");
  t.field("driver", "cpufreq.driver");
  t.field("governor", "cpufreq.governor");
  std::string boost = t.str("cpufreq.boost");
  if (t.known("cpufreq.boost")) boost += " (" + t.str("cpufreq.boost_source") + ")";
  t.row("boost", boost);
}

void primitives(RecordText& t) {
  t.section("Zeroing primitives");
  t.row("kernel's clear_page", t.str("primitives.kernel") + "\n" + t.str("primitives.kernel_why"));
  t.field("available here", "primitives.available");
}

void metrics(RecordText& t) {
  t.section("Metrics");
  if (!t.known("metrics")) {
    t.row("event file", t.str("metrics"));
    return;
  }
  t.row("event file", t.str("metrics.event_file.uarch") + ": " + t.str("metrics.event_file.path") +
                          "\nchosen: " + t.str("metrics.event_file.why") + "\n" +
                          t.str("metrics.event_file.description") +
                          "\nprovenance: " + t.str("metrics.event_file.provenance"));
  const json* probes = t.at("metrics.probes");
  for (std::size_t i = 0; probes && i < probes->size(); ++i) {
    const json& m = (*probes)[i];
    std::string v = m.value("available", false) ? "available via " + m.value("via", "")
                                                : "unavailable: " + m.value("reason", "");
    if (m.value("kernel_split", false)) v += " (user and kernel counted apart)";
    v += "\nmeans: " + m.value("meaning", "");
    t.row(m.value("metric", "?"), v);
  }
}

void missing(RecordText& t, const json& rec) {
  t.section("Missing");
  const json& m = rec.value("missing", json::object());
  if (m.empty()) t.row("(none)", "every field was read");
  for (const auto& [path, why] : m.items())
    t.row(path, why.is_string() ? why.get<std::string>() : why.dump());
}

}  // namespace

std::string format_capability_text(const json& record) {
  RecordText t(record);
  t.section("zeroscope capability record");
  t.field("schema", "schema");
  t.field("zeroscope version", "zeroscope_version");
  t.field("collected at", "collected_at");
  t.field("host", "host.name");
  if (t.known("emulation")) emulation_text(t);
  cpu(t);
  kernel(t);
  tsc(t);
  perf(t);
  thp(t);
  hugetlb(t);
  caches(t);
  numa(t);
  cpufreq(t);
  primitives(t);
  metrics(t);
  missing(t, record);
  return t.render();
}

}  // namespace zs
