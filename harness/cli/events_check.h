// zeroscope events --check (events_check.cc).
#pragma once

#include "counters/events.h"

namespace zs::cli {

// Prints the comparison of every entry; returns the exit code: 0 all agree
// or have nothing to compare, 1 a difference or a failure, 77 this libpfm4
// lacks the file's table (nothing checked).
int run_events_check(const EventFile& f, bool json);

}  // namespace zs::cli
