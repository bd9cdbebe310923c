// Replica fidelity: how well zeroscope's replica of the running kernel's
// zeroing path predicts the kernel's own page fault. For every kernel-fault
// point of a results directory, the replica is the point of the same run
// with the same backing, folio size, target, access, op, cache and evict,
// the strategy (width, batch) this kernel zeroes that folio with, and the
// primitive the kernel's clear_page uses. Where it was measured: the ratio
// of the medians fault / replica with its 95% BCa interval, and the
// remainder fault - replica, what the fault costs beyond zeroing
// (allocation, memcg charge, page tables). Where it was not, why, and how
// to get it. Replicate runs redo the numbers over runs
// (report/fidelity_runs.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/results_data.h"
#include "stats/stats.h"

namespace zs {

// The kernel's path for one backing and folio size, as meta.json records
// it (the shape of the capability record's kernel.zeroing entries).
struct RecordedKernelPath {
  std::optional<std::string> strategy;  // nullopt: the kernel release is not covered (reason)
  std::optional<std::uint64_t> width, batch;
  std::string function, source, reason;
  std::string from;  // where in meta.json: "kernel_strategy" or "capability.kernel.zeroing"
};

// Whether meta.json records the kernel's path at all (results written
// before zeroscope recorded it do not).
bool records_kernel_path(const nlohmann::json& meta);
// The entry for backing and folio_size: meta.json's kernel_strategy (what
// the run resolved strategy "kernel" with) first, then the capability
// record's kernel.zeroing. nullopt with `why` set when neither has one.
std::optional<RecordedKernelPath> recorded_kernel_path(const nlohmann::json& meta,
                                                       std::string_view backing,
                                                       std::uint64_t folio_size, std::string& why);

// A fault / replica ratio of medians inside this range is explained by the
// replica; outside it, the fault does something the replica does not.
inline constexpr double kFidelityLow = 0.8, kFidelityHigh = 1.5;

struct Fidelity {
  PointInfo fault;                              // the kernel-fault point
  std::optional<RecordedKernelPath> path;       // nullopt: meta.json has none (see note)
  bool no_kernel_path = false;                  // meta.json records no kernel path at all
  std::string replica_key;                      // "" where no replica was measured
  std::string replica_name;                     // "left-right/stosb": strategy / real primitive
  std::string primitive_choice;                 // why that primitive
  double fault_median = 0, replica_median = 0;  // ns
  std::optional<stats::Interval> ratio;         // fault / replica medians, 95% BCa
  std::optional<double> remainder_ns;           // fault median - replica median
  std::string note;                             // why a number is missing ("" otherwise)
  // Replicate runs (report/fidelity_runs.h): > 1 when the medians are
  // medians of run medians and the interval is over runs, then samples.
  std::size_t runs = 1;

  bool measured() const { return !replica_key.empty(); }
  bool explains() const {
    return ratio && ratio->estimate >= kFidelityLow && ratio->estimate <= kFidelityHigh;
  }
};

// One entry per kernel-fault point with kept fault samples, in the
// config's order; `seed` seeds the bootstrap.
std::vector<Fidelity> replica_fidelity(const ResultsData& d, std::uint64_t seed);

const Fidelity* find_fidelity(const std::vector<Fidelity>& f, const std::string& fault_key);
// The strategy a report table (PointInfo::group()) is compared with by
// default: the measured replica's, "" when the table has none.
std::string replica_baseline(const std::vector<Fidelity>& f, const std::string& group);

// The report's section, "" without kernel-fault points: text (80 columns)
// and markdown; and the `fidelity` object of a kernel-fault entry.
std::string render_fidelity_text(const std::vector<Fidelity>& f);
std::string render_fidelity_markdown(const std::vector<Fidelity>& f);
nlohmann::json fidelity_json(const Fidelity& f);

}  // namespace zs
