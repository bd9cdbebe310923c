// The records of the setting guards: which system setting a run has changed
// and its original, written before the change so that a run killed by
// SIGKILL can be undone by the next zeroscope command. One record file per
// setting, named after it, in the state directory; who owns a setting is
// not written here but held by the kernel (settings_lock.h). This file owns
// the format and where records live; recovering them is settings_recovery.h.
//
//   # zeroscope: a system setting changed by a run, ...
//   pid 1234
//   boot 0b7c...          (/proc/sys/kernel/random/boot_id)
//   cmd zeroscope run configs/hugetlb.toml --reserve-hugetlb
//   order 81234567890     (monotonic ns of the change: newest restored first)
//   /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages<TAB>0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zs {

struct SettingsRecord {
  long pid = 0;
  std::string boot;
  std::string cmd;                                            // the owner's command line, one line
  std::uint64_t order = 0;                                    // when the first change was made
  std::vector<std::pair<std::string, std::string>> settings;  // (path, original), oldest first
};

// nullopt when `text` is not a record this version writes (or has no pid).
std::optional<SettingsRecord> parse_settings_record(const std::string& text);
std::string format_settings_record(const SettingsRecord& record);

// Where records are written: $ZS_STATE_DIR when set (tests), else
// /run/zeroscope as root, else $XDG_RUNTIME_DIR/zeroscope (or
// /tmp/zeroscope-<uid>).
std::string settings_state_dir();
// Where recovery looks: $ZS_STATE_DIR alone when set; else /run/zeroscope
// (what a root run left, readable by everyone so that any user learns of
// it) and, for other users, their own directory too.
std::vector<std::string> settings_state_dirs();

// The record file of the setting `setting_path` in `dir`, e.g.
// DIR/hugepages-2048kB.nr_hugepages.3f2a...state.
std::string settings_record_path(const std::string& dir, const std::string& setting_path);
// The record files in `dir` (*.state), sorted; none when it is missing.
std::vector<std::string> settings_records_in(const std::string& dir);

// Creates `dir` (mode 0755) unless it exists; throws SetupError naming
// ZS_STATE_DIR as the fix.
void ensure_state_dir(const std::string& dir);

// Writes `text` to a new file `path` (mode 0644), removed again on failure:
// 0 or the errno. The caller renames it into place, so that no reader ever
// sees half a record.
int write_private_file(const std::string& path, const std::string& text);

// This process's command line as one printable line (at most ~200 characters).
std::string own_command_line();
// Another process's, "" when it is gone.
std::string command_line_of(long pid);

}  // namespace zs
