// The line `run` and `measure` print before measuring when this process
// runs emulated (machine/emulation.h, worded by report/emulation_warning.h).
#pragma once

namespace zs::cli {

// "zeroscope <command>: WARNING: measured under qemu-user emulation (...)"
// on stderr; nothing on a CPU that is not emulated.
void print_emulation_notice(const char* command);

}  // namespace zs::cli
