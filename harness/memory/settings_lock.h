// Who owns a system setting, held by the kernel: the owner keeps an
// exclusive flock(2) on the setting's own file (nr_hugepages, an mTHP
// `enabled`) for as long as it needs the setting. The kernel drops the lock
// when the owner dies however it dies, and never while it lives, so
// liveness is never guessed from a pid or a process name; and since the
// lock is on the setting itself, runs with different state directories
// (the test suite, another user) exclude each other too.
//
// A lock is taken before the setting is read, so that a second run never
// mistakes the first one's value for the original; while it is held, a
// dead owner's record of that setting is restored first (settings_recovery.h).
#pragma once

#include <functional>
#include <string>

namespace zs {

class SettingLock {
 public:
  // Takes the lock on `path` (shared with the other SettingLocks of this
  // process on the same path), then restores what a dead owner left of it.
  // When another live process holds it: throws SetupError naming that
  // process (pid and command line) and the fix, or waits for it when
  // set_wait_for_setting_owners(true) was called. Throws SetupError when the
  // file cannot be opened or a dead owner's value cannot be restored.
  explicit SettingLock(const std::string& path);
  ~SettingLock();
  SettingLock(SettingLock&& other) noexcept;
  SettingLock& operator=(SettingLock&&) = delete;
  SettingLock(const SettingLock&) = delete;
  SettingLock& operator=(const SettingLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;  // empty: moved from
};

// Process-wide: a setting held by another live process is waited for
// instead of refused; `waiting` gets one line when a wait begins.
void set_wait_for_setting_owners(bool wait, std::function<void(const std::string&)> waiting = {});

// Whether this process holds the lock on `path` through a SettingLock.
bool holds_setting_lock(const std::string& path);

// For recovery: an fd holding the lock on `path`, or -1 with `*err` set
// (EWOULDBLOCK: a live process holds it; else why the file cannot be opened).
// The lock is released by close(fd).
int try_lock_setting(const std::string& path, int* err);

// Who holds the lock on `path` (its fd `fd`, or -1): "zeroscope pid 1234
// (zeroscope run x.toml --reserve-hugetlb)", from /proc/locks, else from
// the setting's record; "another process" when neither tells.
std::string setting_owner_text(const std::string& path, int fd);

}  // namespace zs
