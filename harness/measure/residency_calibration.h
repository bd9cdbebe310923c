// The residency probe's scale, measured at start-up on this machine: the
// timing overhead of platform::timed_load (the median of many timed loads
// of one line in L1), and the load latency of each level from pointer
// chases (a random cyclic permutation, one line per node) over buffers
// sized to fall in that level, each load timed the same way as the probe's.
// Thresholds between levels are the midpoints of adjacent levels' medians
// (midpoints, not geometric means: the L1 median, overhead subtracted, is
// near 0 or below). A level whose median is not above the previous kept
// one's (a VM hiding a level, a buffer that did not leave a cache) is merged
// into it: its interval is empty, and the merge is said.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/residency.h"

namespace zs {

struct CalibrationLevel {
  ResidencyLevel level = ResidencyLevel::l1;
  std::uint64_t buffer_bytes = 0;
  double median_ns = 0;
  std::string sized;  // why the buffer has this size
};

// The rule on four medians (L1, L2, LLC, memory): thresholds and the merges.
struct ThresholdRule {
  ResidencyThresholds thresholds;  // an upper bound of +inf: no level above it was kept
  std::vector<std::string>
      merged;  // "memory merged into LLC: its median 41.0 ns is not above 44.2"
};
ThresholdRule thresholds_from_medians(const std::array<double, kResidencyLevels>& medians_ns);

struct CacheSizes {
  std::uint64_t l1d = 0, l2 = 0, llc = 0;
  std::string source;
};
// L1d and L2 from sysfs (else what the CPU describes, else 32 KiB and 1 MiB),
// `llc_bytes` the session's LLC.
CacheSizes residency_cache_sizes(std::uint64_t llc_bytes);

// The buffer of each level and why it has that size: half of L1d, half of
// L2, the smaller of half the LLC and 4x L2 (more than L2 holds, within one
// slice or cluster of a large LLC: a VM reports its host's, 480 MiB on the
// development VM), and 4x the LLC capped at 256 MiB for memory (flushed
// from the caches before the chase, so that it misses whatever the real LLC).
std::vector<CalibrationLevel> calibration_buffers(const CacheSizes& c);

struct ResidencyCalibration {
  double ns_per_tick = 0;
  double overhead_ticks = 0, overhead_ns = 0;
  std::vector<CalibrationLevel> levels;
  ThresholdRule rule;
  std::string caches;  // where the sizes came from
};

// Measures it all (well under a second, plus faulting in the memory
// buffer). Throws SetupError when the architecture has no timestamp counter
// or its rate is unknown.
ResidencyCalibration calibrate_residency(const CacheSizes& caches, double tsc_hz);

// meta.json's `residency`.
nlohmann::json residency_json(const ResidencyCalibration& c);

}  // namespace zs
