// The state file of the setting guards: which system settings a run has
// changed and their originals, written before each change so that a run
// killed by SIGKILL can be undone by the next one. This file owns its
// format and where it lives; who may write it and how it is recovered is
// settings_recovery.h.
//
//   # zeroscope: system settings changed by a run, ...
//   pid 1234
//   boot 0b7c...          (/proc/sys/kernel/random/boot_id)
//   /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages<TAB>0
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zs {

struct SettingsRecord {
  long pid = 0;
  std::string boot;
  std::vector<std::pair<std::string, std::string>> settings;  // (path, original), oldest first
};

// nullopt when `text` is not a record this version writes (or has no pid).
std::optional<SettingsRecord> parse_settings_record(const std::string& text);
std::string format_settings_record(const SettingsRecord& record);

// Where the state file lives: $ZS_STATE_DIR/settings.state when set (tests),
// else /run/zeroscope/settings.state as root, else
// $XDG_RUNTIME_DIR/zeroscope/settings.state (or /tmp/zeroscope-<uid>/...).
std::string settings_state_path();

// Creates the directory of the state file (mode 0700) unless it exists;
// throws SetupError naming ZS_STATE_DIR as the fix.
void ensure_state_dir(const std::string& state_path);

// Writes `text` to a new file `path` (mode 0600), removed again on failure:
// 0 or the errno. The caller renames or links it into place, so that no
// reader ever sees half a record.
int write_private_file(const std::string& path, const std::string& text);

}  // namespace zs
