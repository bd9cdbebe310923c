// The checks of a sweep file that need its values together or its points:
// batch and width within the largest folio, parameters some strategy uses,
// optional ("?") sizes this machine lacks turned into rules that leave their
// points out, each (backing, size) pair usable here, each target inside its
// folio. Run by load_sweep_config once the file's values are read, and by
// `measure` on a sweep built in memory from its flags (path "", a value
// given by a flag has line 1, a default line 0): then its problems are
// SetupErrors about the axis's option, not "path:line".
#pragma once

#include "sweep/sweep_config.h"

namespace zs {

void check_sweep(SweepConfig& cfg);

}  // namespace zs
