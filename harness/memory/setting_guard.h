// A system setting (one sysfs or procfs file) changed for a run and
// restored afterwards, whatever way the run ends:
//  - normal exit and exceptions: the destructor writes the original back;
//  - SIGINT / SIGTERM: an async-signal-safe handler writes every original
//    back, then re-raises the signal with its default action;
//  - SIGKILL or power loss: each change is first recorded in a state file,
//    and the next zeroscope run restores it before doing anything else and
//    says so (recover_leftover_settings()).
#pragma once

#include <string>
#include <vector>

namespace zs {

class SettingGuard {
 public:
  // Reads the current value of `path`, records it in the state file, then
  // writes `value`. Throws SetupError (one line: the file, the errno, the
  // fix, e.g. "run as root") when the file cannot be read or written.
  SettingGuard(std::string path, std::string value);
  ~SettingGuard();  // writes the original value back, drops the record
  SettingGuard(SettingGuard&& other) noexcept;
  SettingGuard& operator=(SettingGuard&&) = delete;
  SettingGuard(const SettingGuard&) = delete;
  SettingGuard& operator=(const SettingGuard&) = delete;

  const std::string& path() const { return path_; }
  const std::string& original() const { return original_; }

 private:
  std::string path_, original_;
  int slot_ = -1;  // index in the signal-safe table; -1 = moved from
};

// Restores what a run killed by SIGKILL left changed (its state file), unless
// the process that wrote it is still alive. Returns one human-readable line
// per setting restored, e.g. "restored /sys/.../nr_hugepages to 0 (left by
// zeroscope pid 1234, which did not exit cleanly)".
std::vector<std::string> recover_leftover_settings();

// Where the state file lives: $ZS_STATE_DIR/settings.state when set (tests),
// else /run/zeroscope/settings.state as root, else
// $XDG_RUNTIME_DIR/zeroscope/settings.state (or /tmp/zeroscope-<uid>/...).
std::string settings_state_path();

// Installs the SIGINT/SIGTERM handlers that restore every live guard. Called
// once by the CLI before any guard is made; idempotent.
void install_restore_on_signal();

}  // namespace zs
