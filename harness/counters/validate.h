// Known-answer checks of the resolved events on this machine: a workload
// whose count is known in advance, run with the metric counting, and the
// ratio measured / expected. An event that counts something else (the
// "LLC miss" of another level, a raw code the core does not implement and
// that silently counts 0) shows up as suspicious here rather than in a
// patch's cover letter.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "counters/counters.h"
#include "counters/events.h"

namespace zs {

struct Validation {
  std::string metric;
  std::string check;  // what was run
  std::optional<double> expected, measured;
  std::string verdict;  // validated | suspicious | unavailable
  std::string note;     // the ratio and the bound, or why unavailable
};

// Runs the checks for every metric of `events` (llc_* metrics against
// streaming stores over 4x the LLC and a loop over one resident page).
std::vector<Validation> validate_events(const EventFile& events, const PmuAccess& access,
                                        std::uint64_t llc_bytes);

}  // namespace zs
