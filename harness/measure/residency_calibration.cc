#include "measure/residency_calibration.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/units.h"
#include "machine/cache_topology.h"
#include "memory/mapping.h"
#include "platform/platform.h"

namespace zs {

ThresholdRule thresholds_from_medians(const std::array<double, kResidencyLevels>& m) {
  ThresholdRule r;
  constexpr double inf = std::numeric_limits<double>::infinity();
  // The levels kept, in order; each merged level points at its keeper.
  std::vector<std::size_t> kept = {0};
  std::array<std::size_t, kResidencyLevels> keeper{};
  for (std::size_t i = 1; i < kResidencyLevels; ++i) {
    if (m[i] > m[kept.back()]) {
      kept.push_back(i);
      keeper[i] = i;
    } else {
      keeper[i] = kept.back();
      r.merged.push_back(fmt::format("{} merged into {}: its median {:.1f} ns is not above {:.1f}",
                                     to_string(ResidencyLevel(i)),
                                     to_string(ResidencyLevel(kept.back())), m[i], m[kept.back()]));
    }
  }
  std::array<double, kResidencyLevels> upper{};
  for (std::size_t k = 0; k < kept.size(); ++k)
    upper[kept[k]] = k + 1 < kept.size() ? (m[kept[k]] + m[kept[k + 1]]) / 2 : inf;
  for (std::size_t i = 1; i < kResidencyLevels; ++i)
    if (keeper[i] != i) upper[i] = upper[keeper[i]];
  r.thresholds = {upper[0], upper[1], upper[2]};
  return r;
}

CacheSizes residency_cache_sizes(std::uint64_t llc_bytes) {
  CacheSizes c;
  c.llc = llc_bytes;
  for (const SysfsCache& s : sysfs_caches()) {
    if (s.level == 1 && s.type == "Data") c.l1d = s.bytes;
    if (s.level == 2) c.l2 = s.bytes;
  }
  c.source = "sysfs cpu0";
  if (c.l1d == 0 || c.l2 == 0) {
    for (const platform::CacheLevel& l : platform::cpu_caches()) {
      if (l.level == 1 && c.l1d == 0) c.l1d = l.bytes;
      if (l.level == 2 && c.l2 == 0) c.l2 = l.bytes;
    }
    c.source = "the CPU's description";
  }
  if (c.l1d == 0 || c.l2 == 0) {
    c.l1d = c.l1d ? c.l1d : 32 << 10;
    c.l2 = c.l2 ? c.l2 : 1 << 20;
    c.source = "assumed (32 KiB L1d, 1 MiB L2: none described)";
  }
  if (c.llc == 0) c.llc = 4 * c.l2;
  return c;
}

std::vector<CalibrationLevel> calibration_buffers(const CacheSizes& c) {
  constexpr std::uint64_t kMemoryCap = 256ull << 20;
  const std::uint64_t llc = std::min(c.llc / 2, 4 * c.l2);
  const std::uint64_t mem = std::min(4 * c.llc, kMemoryCap);
  return {
      {ResidencyLevel::l1, c.l1d / 2, 0, fmt::format("half of L1d ({})", exact_size(c.l1d))},
      {ResidencyLevel::l2, c.l2 / 2, 0, fmt::format("half of L2 ({})", exact_size(c.l2))},
      {ResidencyLevel::llc, std::max(llc, c.l2 + c.l2 / 2), 0,
       fmt::format("the smaller of half the LLC ({}) and 4x L2: more than L2 holds, within one "
                   "slice or cluster where the reported LLC is a socket's or a host's",
                   exact_size(c.llc))},
      {ResidencyLevel::memory, std::max(mem, 4 * llc), 0,
       fmt::format("4x the LLC, at most {} (a VM reports its host's LLC), flushed before the chase",
                   exact_size(kMemoryCap))},
  };
}

namespace {
// The median ticks of timed loads along a random cyclic chase of the
// buffer's lines (each line holds the next one's address).
double chase_median_ticks(std::byte* buf, std::uint64_t bytes, std::size_t line, bool flush,
                          std::uint64_t seed) {
  const std::size_t n = std::max<std::size_t>(bytes / line, 2);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  for (std::size_t i = 0; i < n; ++i)
    *reinterpret_cast<std::byte**>(buf + order[i] * line) = buf + order[(i + 1) % n] * line;
  auto* p = buf + order[0] * line;
  if (flush) {
    platform::flush_range(buf, n * line);
  } else {
    for (std::size_t pass = 0; pass < 2; ++pass)
      for (std::size_t i = 0; i < n; ++i) p = *reinterpret_cast<std::byte* volatile*>(p);
  }
  constexpr std::size_t kLoads = 8192;
  std::vector<double> ticks(kLoads);
  for (std::size_t i = 0; i < kLoads; ++i) {
    ticks[i] = double(platform::timed_load(p));
    p = *reinterpret_cast<std::byte* volatile*>(p);
  }
  return residency_median(std::move(ticks));
}
}  // namespace

ResidencyCalibration calibrate_residency(const CacheSizes& caches, double tsc_hz) {
  if (platform::timestamp_name().empty() || platform::timed_load_method().empty())
    throw SetupError(
        "access residency: this architecture has no timestamp counter to time a load with");
  if (!(tsc_hz > 0))
    throw SetupError("access residency: the timestamp counter's rate is not known here");
  ResidencyCalibration c;
  c.ns_per_tick = 1e9 / tsc_hz;
  c.caches = caches.source;
  const std::size_t line = platform::cache_line_bytes();
  {
    alignas(64) static volatile std::uint64_t hot[8] = {};
    hot[0] = 1;
    std::vector<double> t(20001);
    for (double& x : t) x = double(platform::timed_load(const_cast<std::uint64_t*>(&hot[0])));
    c.overhead_ticks = residency_median(std::move(t));
    c.overhead_ns = c.overhead_ticks * c.ns_per_tick;
  }
  c.levels = calibration_buffers(caches);
  std::array<double, kResidencyLevels> medians{};
  for (std::size_t i = 0; i < c.levels.size(); ++i) {
    CalibrationLevel& l = c.levels[i];
    const bool memory = l.level == ResidencyLevel::memory && !platform::flush_name().empty();
    Mapping m = Mapping::anonymous(l.buffer_bytes, 2u << 20);
    m.advise_huge();  // page walks would add to every load of the larger buffers
    m.populate();
    const double ticks = chase_median_ticks(m.data(), l.buffer_bytes, line, memory, 7 + i);
    l.median_ns = (ticks - c.overhead_ticks) * c.ns_per_tick;
    medians[i] = l.median_ns;
  }
  c.rule = thresholds_from_medians(medians);
  return c;
}

nlohmann::json residency_json(const ResidencyCalibration& c) {
  auto bound = [](double v) { return std::isinf(v) ? nlohmann::json() : nlohmann::json(v); };
  nlohmann::json levels = nlohmann::json::array();
  for (const CalibrationLevel& l : c.levels)
    levels.push_back({{"level", to_string(l.level)},
                      {"buffer_bytes", l.buffer_bytes},
                      {"median_ns", l.median_ns},
                      {"sized", l.sized}});
  return {{"lines_per_page", kResidencyLinesPerPage},
          {"order", "one random permutation over the folio"},
          {"timing", std::string(platform::timed_load_method())},
          {"overhead_ns", c.overhead_ns},
          {"calibration",
           {{"levels", levels},
            {"thresholds_ns",
             {{"L1", bound(c.rule.thresholds.l1)},
              {"L2", bound(c.rule.thresholds.l2)},
              {"LLC", bound(c.rule.thresholds.llc)}}},
            {"merged", c.rule.merged},
            {"rule",
             "midpoint of adjacent levels' medians; a level not above the previous is "
             "merged into it"},
            {"caches", c.caches},
            {"source",
             "pointer chases (random cyclic permutation, one line per node) over a buffer per "
             "level, 8192 loads each timed as the probe's, overhead subtracted"}}}};
}

}  // namespace zs
