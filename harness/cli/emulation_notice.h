// The line `run` and `measure` print before measuring when this process
// runs emulated (machine/emulation.h, worded by report/emulation_warning.h).
#pragma once

#include <vector>

#include "measure/experiment.h"

namespace zs::cli {

// "zeroscope <command>: WARNING: measured under qemu-user emulation (...)"
// on stderr; nothing on a CPU that is not emulated. With `points`
// (measure, which has no capability record): what the emulator makes
// impossible is refused (sweep/emulation_checks.h).
void print_emulation_notice(const char* command, const std::vector<Point>* points = nullptr);

}  // namespace zs::cli
