#include "counters/event_selection.h"

#include <filesystem>

#include <fmt/format.h>

#include "common/errors.h"

namespace zs {

SelectedEvents select_events(const std::optional<std::string>& override_path) {
  if (override_path) {
    if (!std::filesystem::exists(*override_path))
      throw SetupError(Option::events, fmt::format("{} does not exist; the shipped files are in {}",
                                                   *override_path, events_dir()));
    return {load_event_file(*override_path), "given: " + *override_path};
  }
  UarchChoice c = uarch_for(this_cpu());
  std::string path = events_dir() + "/" + c.uarch + ".toml";
  if (!std::filesystem::exists(path))
    throw SetupError(
        fmt::format("event file {} for {} is missing; reinstall, or give one with {} FILE", path,
                    c.uarch, option_ref(Option::events)));
  return {load_event_file(path), c.why};
}

}  // namespace zs
