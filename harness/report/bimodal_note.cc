#include "report/bimodal_note.h"

namespace zs {

std::string bimodal_note() {
  // Two modes in a zeroing cost usually mean two kinds of sample, not noise:
  // some folios fell back to small pages, sat on the other node, or ran at
  // another clock. A median between the modes describes neither.
  return "b: two modes (bimodality coefficient > 5/9): no median describes it. Read the "
         "distribution (python3 plots/distributions.py DIR draws it); check THP fallback, NUMA "
         "placement and CPU frequency; run more repetitions.";
}

}  // namespace zs
