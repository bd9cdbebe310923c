// The report's host-reported section: per kernel-fault point measured on
// both memories (backing, size, target, access, cache), the fault on
// host-reported memory against the fault on recycled memory (medians, the
// ratio with its 95% BCa interval), and the replica of the kernel's path on
// recycled memory: its zero median, and its share of the host-reported
// fault, what skipping the guest's own zeroing of host-zeroed pages could
// remove at most. docs/host-reported.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/fidelity.h"
#include "results/results_data.h"
#include "stats/stats.h"

namespace zs {

struct HostReportedRow {
  PointInfo recycled, host;                     // the two kernel-fault points
  double recycled_median = 0, host_median = 0;  // ns, fault phase
  std::optional<stats::Interval> ratio;         // host-reported / recycled, 95% BCa
  std::string replica_name;                     // "" where none was measured
  std::optional<double> replica_median;         // ns, zero phase on recycled memory
  std::optional<double> share;                  // replica_median / host_median
  std::string note;                             // why a number is missing
};

// The touch of the harness's own pages before each host-reported timed
// phase (memory/own_pages.h), over every kept host-reported sample.
struct HostSettle {
  std::size_t samples = 0;
  double slow_median = 0, slow_max = 0;  // pages whose first touch took 10 us or more
  double ns_median = 0, ns_max = 0;      // the touch's first pass
};

struct HostReportedSection {
  std::vector<HostReportedRow> rows;
  std::optional<HostSettle> settle;  // none: no host-reported sample recorded it
  bool empty() const { return rows.empty() && !settle; }
};

// `fidelity` is replica_fidelity(d, seed): the replica of each recycled
// fault, matched on the same memory. Empty without host-reported faults.
HostReportedSection host_reported_section(const ResultsData& d,
                                          const std::vector<Fidelity>& fidelity,
                                          std::uint64_t seed);

// "" for an empty section; 80 columns.
std::string render_host_reported_text(const HostReportedSection& s);
std::string render_host_reported_markdown(const HostReportedSection& s);
nlohmann::json host_reported_json(const HostReportedSection& s);

}  // namespace zs
