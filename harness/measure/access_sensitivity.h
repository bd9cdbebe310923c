// How much an access pattern can tell strategies apart on this machine: its
// cost on a folio just written, its accessed region last (hot: the lines a
// strategy clears last)
// against one evicted (cold: the lines it clears first). A pattern whose
// cold cost is hardly above its hot one (a single line, a store-bound loop)
// cannot show a strategy's cache behaviour here, whatever the strategy does.
// Measured at run start for the access patterns of the run, on spare folios
// of the run's own pools, a few hot/cold pairs interleaved (ABBA), and kept
// in meta.json `access_sensitivity`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/access.h"
#include "measure/target.h"

namespace zs {

class FolioPool;

struct AccessSensitivity {
  std::string access;  // "page:write"
  std::string backing, target;
  std::uint64_t folio_size = 0;
  double hot_ns = 0, cold_ns = 0;
  double ratio = 0;  // cold / hot, 0 when hot is 0
  std::uint32_t pairs = 0;
  std::string cold_by;  // "clflush" (flushed from every level) or "pool" (round-robin)
  double cost_ms = 0;   // what measuring this entry took, set-up included
};

// One access of a run, the pool its points use and their target.
struct AccessUse {
  AccessSpec spec;
  TargetSpec target;
  FolioPool* pool = nullptr;
};

// Patterns that touch memory (none is left out), each once (the first use's
// pool and target); `pairs` hot/cold pairs each (3 for folios above 32 MiB).
std::vector<AccessSensitivity> measure_access_sensitivity(const std::vector<AccessUse>& uses,
                                                          std::uint32_t pairs = 21);

// Above this cold/hot ratio, or below its inverse, a pattern separates
// strategies on the machine. Below: hot lines cost more than cold ones
// (seen for small writes on an Intel VM: writes into lines whose stores are
// still draining), which tells strategies apart just as well.
inline constexpr double kSeparatingRatio = 1.5;
inline bool separates(const AccessSensitivity& s) {
  return s.ratio > kSeparatingRatio || (s.ratio > 0 && s.ratio < 1 / kSeparatingRatio);
}

nlohmann::json to_json(const std::vector<AccessSensitivity>& v);
std::vector<AccessSensitivity> access_sensitivity_from_json(const nlohmann::json& j);

}  // namespace zs
