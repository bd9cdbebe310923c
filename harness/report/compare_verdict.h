// The rule for a verdict in `zeroscope compare`: faster, slower or n.s. only
// with two or more runs on every side. Within one run, the samples of a
// point are close in time, so its interval leaves out how far the machine
// moves between runs (frequency, placement, the host): back-to-back runs of
// one config, one run per side, called a sixth of their points "faster".
// With one run on a side, the change and its within-run interval are still
// shown, with no verdict, and one line says why.
#pragma once

#include <nlohmann/json.hpp>

#include "report/compare.h"

namespace zs {

// With one run on any side: every entry's verdict "-" and c.verdict_why set
// ("one run per side: no verdict, run-to-run variance unknown; use
// `replicates`"). With 2+ runs on every side: nothing changes.
void withhold_verdicts(Comparison& c);

// An entry's verdict in JSON: the word, or null when withheld.
nlohmann::json verdict_json(const CompareEntry& e);

}  // namespace zs
