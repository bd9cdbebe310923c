#include "report/host_reported_text.h"

#include <fmt/format.h>

#include "report/report.h"

namespace zs {

namespace {

constexpr std::string_view kSuffix = "/host-reported";

std::string us(double ns) { return fmt::format("{:.1f} us", ns / 1000.0); }

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
  return s;
}

std::string render_host_reported_text(const HostReportedSection& s) {
  if (s.rows.empty()) return "";
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
  return o;
}

}  // namespace zs
