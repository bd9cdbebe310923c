// A system setting (one sysfs or procfs file) changed for a run and
// restored afterwards, whatever way the run ends:
//  - normal exit and exceptions: the destructor writes the original back;
//  - SIGINT / SIGTERM: an async-signal-safe handler writes every original
//    back, then re-raises the signal with its default action;
//  - SIGKILL or power loss: each change is first recorded in a state file,
//    and the next zeroscope command restores it before doing anything else
//    and says so (recover_leftover_settings()).
// The guard owns the setting through a SettingLock (settings_lock.h), taken
// before the original is read and released after it is written back.
#pragma once

#include <string>

// recover_leftover_settings(), the records, their owners and the recovery
// of what a killed run left.
#include "memory/settings_lock.h"
#include "memory/settings_recovery.h"
#include "memory/settings_state.h"

namespace zs {

class SettingGuard {
 public:
  // Takes the setting's lock, reads the current value of `path`, records it
  // in the state file, then writes `value`. Throws SetupError (one line:
  // the file, the errno, the fix, e.g. "run as root") when the file cannot
  // be read or written, or when another live process owns it (naming it).
  SettingGuard(std::string path, std::string value);
  ~SettingGuard();  // writes the original value back, drops the record; a
                    // failure becomes a settings notice (settings_recovery.h)
  SettingGuard(SettingGuard&& other) noexcept;
  SettingGuard& operator=(SettingGuard&&) = delete;
  SettingGuard(const SettingGuard&) = delete;
  SettingGuard& operator=(const SettingGuard&) = delete;

  const std::string& path() const { return path_; }
  const std::string& original() const { return original_; }

 private:
  SettingLock lock_;  // first: released after the destructor has restored
  std::string path_, original_;
  int slot_ = -1;  // index in the signal-safe table; -1 = moved from
};

// Installs the SIGINT/SIGTERM handlers that restore every live guard. Called
// once by the CLI before any guard is made; idempotent.
void install_restore_on_signal();

}  // namespace zs
