#include "memory/settings_recovery.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "common/errors.h"
#include "machine/sysfs.h"
#include "memory/settings_state.h"

namespace zs {

namespace {
std::mutex g_notices_mutex;
std::vector<std::string> g_notices;
}  // namespace

void add_settings_notice(std::string line) {
  std::lock_guard lock(g_notices_mutex);
  g_notices.push_back(std::move(line));
}

std::vector<std::string> take_settings_notices() {
  std::lock_guard lock(g_notices_mutex);
  return std::exchange(g_notices, {});
}

int write_setting(const char* path, const char* value) {
  int fd = ::open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return errno;
  std::size_t len = std::strlen(value);
  ssize_t put;
  do put = ::write(fd, value, len);
  while (put < 0 && errno == EINTR);
  int err = put < 0 ? errno : (static_cast<std::size_t>(put) != len ? EIO : 0);
  if (::close(fd) != 0 && err == 0) err = errno;
  return err;
}

std::string boot_id() { return sysfs::read("/proc/sys/kernel/random/boot_id").value_or(""); }

bool is_live_zeroscope(long pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  auto comm = sysfs::read(fmt::format("/proc/{}/comm", pid));
  return comm && comm->rfind("zeroscope", 0) == 0;
}

std::vector<std::string> recover_leftover_settings() {
  const std::string path = settings_state_path();
  auto text = sysfs::read(path);
  if (!text) return {};
  std::vector<std::string> lines;
  auto state = parse_settings_record(*text);
  if (!state) {
    ::unlink(path.c_str());
    lines.push_back(
        fmt::format("removed {}: not a settings record this version can read; check the "
                    "settings it names by hand",
                    path));
    return lines;
  }
  if (state->pid == ::getpid() || is_live_zeroscope(state->pid)) return {};
  // Sysfs settings do not survive a reboot: a record from another boot is stale.
  if (!state->boot.empty() && state->boot != boot_id()) {
    ::unlink(path.c_str());
    lines.push_back(fmt::format(
        "removed {}: left by pid {} before a reboot, which reset its settings", path, state->pid));
    return lines;
  }
  SettingsRecord failed{state->pid, state->boot, {}};
  for (auto it = state->settings.rbegin(); it != state->settings.rend(); ++it) {
    const auto& [file, original] = *it;
    if (int err = write_setting(file.c_str(), original.c_str())) {
      failed.settings.insert(failed.settings.begin(), *it);
      lines.push_back(
          fmt::format("could not restore {} to '{}' left by zeroscope pid {} ({}); restore it "
                      "with 'echo {} > {}' as root",
                      file, original, state->pid, std::strerror(err), original, file));
    } else {
      lines.push_back(
          fmt::format("restored {} to {} (left by zeroscope pid {}, which did not exit cleanly)",
                      file, original, state->pid));
    }
  }
  if (failed.settings.empty()) {
    ::unlink(path.c_str());
  } else {
    std::string tmp = path + ".recover.tmp";
    if (write_private_file(tmp, format_settings_record(failed)) == 0)
      ::rename(tmp.c_str(), path.c_str());
  }
  return lines;
}

void claim_state_file(const std::string& tmp, const std::string& path) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (::link(tmp.c_str(), path.c_str()) == 0) {
      ::unlink(tmp.c_str());
      return;
    }
    int err = errno;
    if (err != EEXIST || attempt == 1) {
      ::unlink(tmp.c_str());
      throw SetupError(
          fmt::format("cannot record the original settings in {} ({}); set ZS_STATE_DIR "
                      "to a writable directory",
                      path, std::strerror(err)));
    }
    auto other = parse_settings_record(sysfs::read(path).value_or(""));
    if (other && is_live_zeroscope(other->pid)) {
      ::unlink(tmp.c_str());
      throw SetupError(
          fmt::format("zeroscope pid {} is running with changed system settings (recorded "
                      "in {}); wait for it to finish, then rerun",
                      other->pid, path));
    }
    for (auto& line : recover_leftover_settings()) add_settings_notice(std::move(line));
    if (::access(path.c_str(), F_OK) == 0) {
      ::unlink(tmp.c_str());
      throw SetupError(
          fmt::format("{} records settings that could not be restored; restore them as the "
                      "file lists (path, tab, original), remove it, then rerun",
                      path));
    }
  }
}

}  // namespace zs
