// Which event file a run uses: the one given (the `events` option or
// setting) if any, else the file of this CPU's microarchitecture
// (uarch_for(this_cpu())), else generic.
#pragma once

#include <optional>
#include <string>

#include "counters/events.h"

namespace zs {

struct SelectedEvents {
  EventFile file;
  std::string why;  // "given: FILE", or the uarch rule that matched
};
SelectedEvents select_events(const std::optional<std::string>& override_path);

}  // namespace zs
