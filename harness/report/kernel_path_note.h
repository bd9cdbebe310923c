// The report header's statement of the kernel's path for the folios a run
// measured, from meta.json's capability.kernel.zeroing (older results
// without it: one line saying it was not recorded).
#pragma once

#include <string>
#include <vector>

#include "results/results_data.h"

namespace zs {

std::vector<std::string> kernel_path_notes(const ResultsData& d);

}  // namespace zs
