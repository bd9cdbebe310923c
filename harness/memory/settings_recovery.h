// Who owns the settings state file (settings_state.h), and undoing what a
// run that died without restoring its settings left behind.
//
// One run at a time owns the file: the first change of a run claims it with
// link(), which fails when the file exists, so two runs can never both
// believe they own it. A file left by a process that is no longer a live
// zeroscope is recovered (its settings restored, newest first) before the
// claim is tried again; one left before a reboot is stale and removed.
#pragma once

#include <string>
#include <vector>

namespace zs {

// Writes `value` to the setting file `path` with open/write/close only, so
// that a signal handler may call it: 0 or the errno.
int write_setting(const char* path, const char* value);

// /proc/sys/kernel/random/boot_id, "" where unreadable.
std::string boot_id();

// Whether `pid` is a running process named zeroscope*.
bool is_live_zeroscope(long pid);

// Restores what a run killed by SIGKILL left changed (its state file), unless
// the process that wrote it is still alive. Returns one human-readable line
// per setting restored, e.g. "restored /sys/.../nr_hugepages to 0 (left by
// zeroscope pid 1234, which did not exit cleanly)".
std::vector<std::string> recover_leftover_settings();

// Makes this process the owner of the state file `path` by linking the
// record already written to `tmp` there (tmp is removed either way).
// Recovers a file left by a dead run first. Throws SetupError when another
// live run owns it, when a leftover cannot be restored, or when the link
// fails for another reason.
void claim_state_file(const std::string& tmp, const std::string& path);

// Lines that could not be returned where they arose: a restore that failed
// in SettingGuard's destructor, a state file not updated while unwinding,
// leftovers recovered while claiming the state file. The CLI takes and
// prints them when its command ends, before any error line. (The signal
// handler prints nothing: what it cannot restore stays recorded for the
// next run.)
void add_settings_notice(std::string line);
std::vector<std::string> take_settings_notices();

}  // namespace zs
