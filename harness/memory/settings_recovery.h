// Undoing what a run that died without restoring its settings left behind
// (the records of settings_state.h).
//
// A record is touched only by a process holding its setting's lock
// (settings_lock.h): the kernel grants that lock only once the owner has
// died, so a live owner's setting is never restored, whatever the process
// is called; a record left before a reboot is stale and removed.
#pragma once

#include <string>
#include <vector>

namespace zs {

// Writes `value` to the setting file `path` with open/write/close only, so
// that a signal handler may call it: 0 or the errno.
int write_setting(const char* path, const char* value);

// /proc/sys/kernel/random/boot_id, "" where unreadable.
std::string boot_id();

// Restores what processes that died left changed (every record in
// settings_state_dirs() whose setting's lock can be taken), newest first.
// Returns one line per setting, e.g. "restored /sys/.../nr_hugepages to 0
// (left by pid 1234 (zeroscope run x.toml --reserve-hugetlb), which did
// not exit cleanly)", or, without permission, the setting, its value to
// restore and the fix. Never throws; never blocks on a live owner.
std::vector<std::string> recover_leftover_settings();

// Called by SettingLock with `path`'s lock held, before the setting is
// read: restores a dead owner's record of it (lines become settings
// notices). Throws SetupError when its original cannot be written back.
void recover_before_owning(const std::string& path);

// Lines that could not be returned where they arose: a restore that failed
// in SettingGuard's destructor, a record not updated while unwinding,
// leftovers recovered while taking a setting. The CLI takes and prints
// them when its command ends, before any error line. (The signal handler
// prints nothing: what it cannot restore stays recorded for the next run.)
void add_settings_notice(std::string line);
std::vector<std::string> take_settings_notices();

}  // namespace zs
