#include "memory/settings_recovery.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "common/errors.h"
#include "machine/sysfs.h"
#include "memory/settings_lock.h"
#include "memory/settings_state.h"

namespace zs {

namespace {
std::mutex g_notices_mutex;
std::vector<std::string> g_notices;

std::string restore_fix(int err, const std::string& path, const std::string& original) {
  const std::string echo = fmt::format("'echo {} > {}' as root", original, path);
  if ((err == EACCES || err == EPERM) && ::geteuid() != 0)
    return "restore it by running any zeroscope command as root, or with " + echo;
  return "restore it with " + echo;
}

// Recovers the record `file` when the locks of all its settings can be
// taken (their owner is dead). With `only`, a record that does not name
// that setting is left alone, and `*only_failed` says whether its
// original could not be written back.
void recover_record(const std::string& file, const std::string& only,
                    std::vector<std::string>& lines, bool* only_failed) {
  const auto text = sysfs::read(file);
  if (!text) return;
  const auto rec = parse_settings_record(*text);
  if (!rec) {
    ::unlink(file.c_str());
    lines.push_back(fmt::format(
        "removed {}: not a settings record this version can read; check the settings it "
        "names by hand",
        file));
    return;
  }
  if (rec->pid == ::getpid()) return;
  // A record without `order` comes from a version that held no lock: its
  // owner may be alive without one, so a live pid keeps it, whatever the name.
  if (rec->order == 0 && (::kill(static_cast<pid_t>(rec->pid), 0) == 0 || errno == EPERM)) return;
  std::set<std::string> paths, missing;
  for (const auto& s : rec->settings) paths.insert(s.first);
  if (!only.empty() && paths.count(only) == 0) return;

  std::vector<int> fds;
  auto release = [&fds] {
    for (int fd : fds) ::close(fd);
  };
  for (const std::string& p : paths) {
    if (holds_setting_lock(p)) continue;  // ours: called while taking it
    int err = 0;
    int fd = try_lock_setting(p, &err);
    if (fd >= 0) {
      fds.push_back(fd);
    } else if (err == EWOULDBLOCK) {
      release();  // a live owner: never touched
      return;
    } else {
      missing.insert(p);
    }
  }
  // Another command may have recovered it meanwhile.
  if (sysfs::read(file) != text) return release();

  const std::string who =
      fmt::format("pid {}{}", rec->pid, rec->cmd.empty() ? "" : " (" + rec->cmd + ")");
  if (!rec->boot.empty() && rec->boot != boot_id()) {
    ::unlink(file.c_str());
    lines.push_back(
        fmt::format("removed {}: left by {} before a reboot, which reset its settings", file, who));
    return release();
  }
  SettingsRecord failed = *rec;
  failed.settings.clear();
  for (auto it = rec->settings.rbegin(); it != rec->settings.rend(); ++it) {
    const auto& [path, original] = *it;
    if (missing.count(path)) {
      lines.push_back(fmt::format(
          "dropped the record of {} left by {}: the setting no longer exists", path, who));
    } else if (int err = write_setting(path.c_str(), original.c_str())) {
      failed.settings.insert(failed.settings.begin(), *it);
      if (path == only && only_failed != nullptr) *only_failed = true;
      lines.push_back(fmt::format(
          "could not restore {} to {}, left changed by {}, which did not exit cleanly ({}); {}",
          path, original, who, std::strerror(err), restore_fix(err, path, original)));
    } else {
      lines.push_back(fmt::format("restored {} to {} (left by {}, which did not exit cleanly)",
                                  path, original, who));
    }
  }
  if (failed.settings.empty()) {
    ::unlink(file.c_str());
  } else if (failed.settings.size() != rec->settings.size()) {
    std::string tmp = fmt::format("{}.{}.tmp", file, ::getpid());
    if (write_private_file(tmp, format_settings_record(failed)) == 0 &&
        ::rename(tmp.c_str(), file.c_str()) != 0)
      ::unlink(tmp.c_str());
  }
  release();
}

// Every record in the state directories, newest change first.
std::vector<std::string> records_newest_first() {
  std::vector<std::pair<std::uint64_t, std::string>> found;
  for (const std::string& dir : settings_state_dirs())
    for (std::string& file : settings_records_in(dir)) {
      auto rec = parse_settings_record(sysfs::read(file).value_or(""));
      found.emplace_back(rec ? rec->order : 0, std::move(file));
    }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

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

std::vector<std::string> recover_leftover_settings() {
  std::vector<std::string> lines;
  for (const std::string& file : records_newest_first()) recover_record(file, "", lines, nullptr);
  return lines;
}

void recover_before_owning(const std::string& path) {
  std::vector<std::string> lines;
  bool failed = false;
  for (const std::string& file : records_newest_first()) recover_record(file, path, lines, &failed);
  for (auto& line : lines) add_settings_notice(std::move(line));
  if (failed)
    throw SetupError(fmt::format(
        "{} was left changed by a run that died, and its original could not be written back; "
        "restore it as its record in {} says, remove the record, then rerun",
        path, settings_state_dir()));
}

}  // namespace zs
