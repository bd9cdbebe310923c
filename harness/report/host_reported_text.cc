#include "report/host_reported_text.h"

#include <fmt/format.h>

#include "memory/own_pages.h"
#include "report/report.h"

namespace zs {

namespace {

constexpr std::string_view kSuffix = "/host-reported";

std::string us(double ns) { return fmt::format("{:.1f} us", ns / 1000.0); }

std::optional<HostSettle> settle_of(const ResultsData& d) {
  std::vector<double> slow, ns;
  for (const PointInfo& p : d.points) {
    if (p.memory != "host-reported") continue;
    const PhaseData* c = d.phase(p.key, p.kernel_fault() ? "fault" : "zero");
    if (c == nullptr) continue;
    slow.insert(slow.end(), c->host_settle_slow.begin(), c->host_settle_slow.end());
    ns.insert(ns.end(), c->host_settle_ns.begin(), c->host_settle_ns.end());
  }
  if (ns.empty()) return std::nullopt;
  const stats::Summary a = stats::summarize(slow), b = stats::summarize(ns);
  return HostSettle{ns.size(), a.median, a.max, b.median, b.max};
}

std::string settle_sentence(const HostSettle& s) {
  return fmt::format(
      "After each report cycle the host had dropped some of zeroscope's own pages (its code, "
      "libraries, heap, stack): {:.0f} (median, at most {:.0f}) took 10 us or more on their first "
      "touch, and touching them all took {:.1f} ms (median, at most {:.1f} ms) over {} samples, "
      "with no guest fault or interrupt: time spent outside the guest. zeroscope touches them "
      "before each timed phase, so the phases exclude it; the kernel fault still pays it for the "
      "kernel's own pages, which user space cannot touch.",
      s.slow_median, s.slow_max, s.ns_median / 1e6, s.ns_max / 1e6, s.samples);
}

nlohmann::json opt_json(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

const PointInfo* recycled_twin(const ResultsData& d, const PointInfo& host) {
  if (host.key.size() <= kSuffix.size() ||
      host.key.compare(host.key.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
    return nullptr;
  const std::string key = host.key.substr(0, host.key.size() - kSuffix.size());
  for (const PointInfo& p : d.points)
    if (p.key == key && p.memory == "recycled") return &p;
  return nullptr;
}

void replica(const std::vector<Fidelity>& fidelity, HostReportedRow& row) {
  const Fidelity* f = find_fidelity(fidelity, row.recycled.key);
  if (f == nullptr || !f->measured()) {
    row.note = f != nullptr && !f->note.empty()
                   ? fmt::format("no replica of the kernel's path on recycled memory: {}", f->note)
                   : "no replica of the kernel's path measured on recycled memory";
    return;
  }
  row.replica_name = f->replica_name;
  row.replica_median = f->replica_median;
  if (row.host_median > 0) row.share = f->replica_median / row.host_median;
}

}  // namespace

HostReportedSection host_reported_section(const ResultsData& d,
                                          const std::vector<Fidelity>& fidelity,
                                          std::uint64_t seed) {
  HostReportedSection s;
  for (const PointInfo& h : d.points) {
    if (!h.kernel_fault() || h.memory != "host-reported") continue;
    const PhaseData* hf = d.phase(h.key, "fault");
    const PointInfo* r = recycled_twin(d, h);
    const PhaseData* rf = r != nullptr ? d.phase(r->key, "fault") : nullptr;
    if (hf == nullptr || hf->ns.empty()) continue;
    HostReportedRow row;
    row.host = h;
    row.host_median = stats::summarize(hf->ns).median;
    if (rf == nullptr || rf->ns.empty()) {
      row.note = "no kept fault on recycled memory for the same point: no ratio";
      s.rows.push_back(std::move(row));
      continue;
    }
    row.recycled = *r;
    row.recycled_median = stats::summarize(rf->ns).median;
    // bootstrap_median_ratio(a, b) is median(b) / median(a): host / recycled.
    if (hf->ns.size() >= 2 && rf->ns.size() >= 2 && row.recycled_median > 0)
      row.ratio = stats::bootstrap_median_ratio(rf->ns, hf->ns, seed);
    replica(fidelity, row);
    s.rows.push_back(std::move(row));
  }
  s.settle = settle_of(d);
  return s;
}

std::string render_host_reported_text(const HostReportedSection& s) {
  if (s.empty()) return "";
  std::string o = "\n";
  o += wrap_lines(
      "host-reported memory: the kernel fault on memory freed and left for the host to discard "
      "(free page reporting), against the fault on recycled memory; ratio of medians with its "
      "95% BCa interval.");
  bool any_share = false;
  for (const HostReportedRow& r : s.rows) {
    // The recycled point's group: the table the pair belongs to.
    const PointInfo& head = r.recycled.key.empty() ? r.host : r.recycled;
    o += wrap_lines(fmt::format("{}, target {}", head.group(), head.target));
    if (r.recycled.key.empty()) {
      o += wrap_lines(fmt::format("  fault host-reported {}; {}", us(r.host_median), r.note), 80,
                      "    ");
      continue;
    }
    o += fmt::format("  fault: recycled {}, host-reported {}", us(r.recycled_median),
                     us(r.host_median));
    o += r.ratio ? fmt::format(", x{:.2f} [{:.2f}, {:.2f}]\n", r.ratio->estimate, r.ratio->lo,
                               r.ratio->hi)
                 : "\n";
    if (r.replica_median) {
      any_share = any_share || r.share.has_value();
      o += wrap_lines(
          fmt::format(
              "  replica of the kernel's path ({}) on recycled memory: zero {}{}", r.replica_name,
              us(*r.replica_median),
              r.share ? fmt::format(" = {:.1f}% of the host-reported fault", *r.share * 100) : ""),
          80, "    ");
    } else {
      o += wrap_lines("  " + r.note, 80, "    ");
    }
  }
  if (any_share)
    o += wrap_lines(
        "The share is what skipping the guest's own zeroing of host-zeroed pages (Tsirkin's "
        "series) would remove from that fault, at most: the guest's clearing of memory that is "
        "present. The host's cost of backing the memory again (its own fault and zero-fill) does "
        "not vanish; without the guest's writes it moves to the program's first touch of each "
        "page.");
  if (s.settle) o += wrap_lines(settle_sentence(*s.settle));
  return o;
}

std::string render_host_reported_markdown(const HostReportedSection& s) {
  if (s.empty()) return "";
  std::string o = "\n### Host-reported memory\n\n";
  if (!s.rows.empty()) {
    o += "The kernel fault on memory freed and left for the host to discard (free page "
         "reporting), against the fault on recycled memory; ratio of medians with its 95% BCa "
         "interval; the replica of the kernel's path on recycled memory and its share of the "
         "host-reported fault.\n\n";
    o += "| point | target | recycled us | host-reported us | ratio [95% CI] | replica | "
         "replica us | share |\n";
    o += "|---|---|---:|---:|---:|---|---:|---:|\n";
    for (const HostReportedRow& r : s.rows) {
      const PointInfo& head = r.recycled.key.empty() ? r.host : r.recycled;
      o += fmt::format(
          "| {} | {} | {} | {:.1f} | {} | {} | {} | {} |\n", head.group(), head.target,
          r.recycled.key.empty() ? "-" : fmt::format("{:.1f}", r.recycled_median / 1000.0),
          r.host_median / 1000.0,
          r.ratio
              ? fmt::format("{:.2f} [{:.2f}, {:.2f}]", r.ratio->estimate, r.ratio->lo, r.ratio->hi)
              : "-",
          r.replica_name.empty() ? "-" : r.replica_name,
          r.replica_median ? fmt::format("{:.1f}", *r.replica_median / 1000.0) : "-",
          r.share ? fmt::format("{:.1f}%", *r.share * 100) : "-");
    }
    for (const HostReportedRow& r : s.rows)
      if (!r.note.empty())
        o += fmt::format("\n{} ({}): {}.\n", r.host.group(), r.host.target, r.note);
  }
  if (s.settle) o += fmt::format("\n{}\n", settle_sentence(*s.settle));
  return o;
}

nlohmann::json host_reported_json(const HostReportedSection& s) {
  nlohmann::json j;
  j["faults"] = nlohmann::json::array();
  for (const HostReportedRow& r : s.rows) {
    nlohmann::json x = {
        {"host_reported_key", r.host.key},
        {"recycled_key",
         r.recycled.key.empty() ? nlohmann::json() : nlohmann::json(r.recycled.key)},
        {"host_reported_median_ns", r.host_median},
        {"recycled_median_ns",
         r.recycled.key.empty() ? nlohmann::json() : nlohmann::json(r.recycled_median)},
        {"replica", r.replica_name.empty() ? nlohmann::json() : nlohmann::json(r.replica_name)},
        {"replica_median_ns", opt_json(r.replica_median)},
        {"replica_share", opt_json(r.share)},
        {"note", r.note}};
    if (r.ratio)
      x["ratio"] = {{"estimate", r.ratio->estimate}, {"lo", r.ratio->lo}, {"hi", r.ratio->hi}};
    j["faults"].push_back(x);
  }
  if (s.settle)
    j["own_pages_settle"] = {
        {"samples", s.settle->samples},         {"slow_pages_median", s.settle->slow_median},
        {"slow_pages_max", s.settle->slow_max}, {"ns_median", s.settle->ns_median},
        {"ns_max", s.settle->ns_max},           {"slow_threshold_ns", kSlowTouchNs}};
  return j;
}

}  // namespace zs
