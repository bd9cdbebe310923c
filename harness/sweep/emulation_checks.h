// Before a run measures under emulation (machine/emulation.h): what the
// emulator makes impossible is refused in one line, not measured as
// nothing (every sample left out as "not huge").
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "measure/experiment.h"

namespace zs {

// Throws SetupError when the record says madvise() is ignored here and a
// THP or mTHP point's size would get huge folios only through
// MADV_HUGEPAGE (its mode is 'madvise'), or when it was taken under
// emulation whose hugetlb mmap failed and a point is hugetlb.
void refuse_what_emulation_breaks(const nlohmann::json& capability,
                                  const std::vector<Point>& points);

}  // namespace zs
