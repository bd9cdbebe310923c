// The originals live in two places: a fixed static table that the signal
// handler can read without allocating or locking, and a state file that
// survives SIGKILL. The table is the truth inside the process; the file is
// rewritten from it (write to a temporary, then link/rename, so a reader
// never sees half a file) before every change and after every restore.
#include "memory/setting_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/parse.h"
#include "machine/sysfs.h"

namespace zs {
namespace {

constexpr int kMaxSlots = 16;
constexpr std::size_t kPathMax = 256, kValueMax = 128;

struct Slot {
  char path[kPathMax];
  char original[kValueMax];
  unsigned long seq;
  volatile sig_atomic_t live;
};

// Everything below is read by the signal handler: plain arrays, written by
// ordinary code under g_mutex with a signal fence before `live` flips, so the
// handler never sees a half-filled slot as live.
Slot g_slots[kMaxSlots];
unsigned long g_next_seq = 1;
char g_state_path[512];
char g_state_tmp[560];
volatile sig_atomic_t g_owns_state = 0;
std::mutex g_mutex;

// open/write/close only: safe in the handler. Returns 0 or the errno.
int raw_write(const char* path, const char* value) {
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

// Restores every live slot, newest first (an mTHP size before the top-level
// switch it was enabled under). Returns how many could not be restored.
int restore_live_slots_signal_safe() {
  int failed = 0;
  bool done[kMaxSlots] = {};
  for (;;) {
    int pick = -1;
    for (int i = 0; i < kMaxSlots; ++i)
      if (g_slots[i].live && !done[i] && (pick < 0 || g_slots[i].seq > g_slots[pick].seq)) pick = i;
    if (pick < 0) break;
    done[pick] = true;
    if (raw_write(g_slots[pick].path, g_slots[pick].original) != 0) ++failed;
  }
  return failed;
}

void on_fatal_signal(int sig) {
  int saved_errno = errno;
  int failed = restore_live_slots_signal_safe();
  // A setting that could not be written back stays recorded for the next run.
  if (g_owns_state && failed == 0) ::unlink(g_state_path);
  if (g_state_tmp[0] != '\0') ::unlink(g_state_tmp);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  raise(sig);  // pending until the handler returns, then the default action
  errno = saved_errno;
}

std::string fix_for(int err) {
  switch (err) {
    case EACCES:
    case EPERM:
    case EROFS:
      return ::geteuid() == 0 ? "the file is read-only: not a setting that can be changed"
                              : "run as root";
    case ENOENT:
      return "this kernel does not offer this setting";
    case EINVAL:
      return "the kernel refused the value";
    default:
      return "check that the file is a writable kernel setting";
  }
}

std::string boot_id() { return sysfs::read("/proc/sys/kernel/random/boot_id").value_or(""); }

bool is_live_zeroscope(long pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  auto comm = sysfs::read(fmt::format("/proc/{}/comm", pid));
  return comm && comm->rfind("zeroscope", 0) == 0;
}

struct StateFile {
  long pid = 0;
  std::string boot;
  std::vector<std::pair<std::string, std::string>> settings;  // oldest first
};

std::optional<StateFile> parse_state(const std::string& text) {
  StateFile s;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab != std::string::npos) {
      s.settings.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    } else if (line.rfind("pid ", 0) == 0) {
      auto v = parse_u64(line.substr(4));
      if (!v) return std::nullopt;
      s.pid = static_cast<long>(*v);
    } else if (line.rfind("boot ", 0) == 0) {
      s.boot = line.substr(5);
    } else {
      return std::nullopt;
    }
  }
  if (s.pid == 0) return std::nullopt;
  return s;
}

std::string format_state(long pid, const std::string& boot,
                         const std::vector<std::pair<std::string, std::string>>& settings) {
  std::string out =
      "# zeroscope: system settings changed by a run, with their originals; the next run\n"
      "# restores them if that process died without doing so\n";
  out += fmt::format("pid {}\nboot {}\n", pid, boot);
  for (const auto& [path, original] : settings) out += path + "\t" + original + "\n";
  return out;
}

std::string state_dir_of(const std::string& state_path) {
  return state_path.substr(0, state_path.rfind('/'));
}

void ensure_state_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return;
  }
  throw SetupError(
      fmt::format("cannot create the settings state directory {} ({}); set ZS_STATE_DIR "
                  "to a writable directory",
                  dir, std::strerror(errno)));
}

// Writes `text` to a temporary beside the state file: 0 or errno.
int write_tmp(const std::string& tmp, const std::string& text) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  ssize_t put = ::write(fd, text.data(), text.size());
  int err = put < 0 ? errno : (static_cast<std::size_t>(put) != text.size() ? EIO : 0);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err) ::unlink(tmp.c_str());
  return err;
}

std::vector<std::pair<std::string, std::string>> live_settings_locked() {
  std::vector<int> idx;
  for (int i = 0; i < kMaxSlots; ++i)
    if (g_slots[i].live) idx.push_back(i);
  std::sort(idx.begin(), idx.end(), [](int a, int b) { return g_slots[a].seq < g_slots[b].seq; });
  std::vector<std::pair<std::string, std::string>> out;
  for (int i : idx) out.emplace_back(g_slots[i].path, g_slots[i].original);
  return out;
}

void print_recovered(const std::vector<std::string>& lines) {
  for (const auto& l : lines) std::fprintf(stderr, "zeroscope: %s\n", l.c_str());
}

// Brings the state file in line with the table. Throws SetupError when the
// record cannot be written (the caller must then not change the setting).
void sync_state_locked() {
  auto settings = live_settings_locked();
  if (settings.empty()) {
    if (g_owns_state) ::unlink(g_state_path);
    g_owns_state = 0;
    return;
  }
  if (!g_owns_state) {
    std::string path = settings_state_path();
    if (path.size() >= sizeof g_state_path)
      throw SetupError(
          fmt::format("settings state path {} is too long; set ZS_STATE_DIR to a shorter "
                      "directory",
                      path));
    ensure_state_dir(state_dir_of(path));
    std::string tmp = fmt::format("{}.{}.tmp", path, ::getpid());
    std::snprintf(g_state_path, sizeof g_state_path, "%s", path.c_str());
    std::snprintf(g_state_tmp, sizeof g_state_tmp, "%s", tmp.c_str());
  }
  std::string text = format_state(::getpid(), boot_id(), settings);
  if (int err = write_tmp(g_state_tmp, text))
    throw SetupError(
        fmt::format("cannot record the original settings in {} ({}); set ZS_STATE_DIR "
                    "to a writable directory",
                    g_state_tmp, std::strerror(err)));
  if (g_owns_state) {
    if (::rename(g_state_tmp, g_state_path) != 0) {
      int err = errno;
      ::unlink(g_state_tmp);
      throw SetupError(
          fmt::format("cannot record the original settings in {} ({}); set ZS_STATE_DIR "
                      "to a writable directory",
                      g_state_path, std::strerror(err)));
    }
    return;
  }
  // First record of this process: link() fails if another run owns the file,
  // so two runs can never both believe they own it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (::link(g_state_tmp, g_state_path) == 0) {
      ::unlink(g_state_tmp);
      g_owns_state = 1;
      return;
    }
    int err = errno;
    if (err != EEXIST || attempt == 1) {
      ::unlink(g_state_tmp);
      throw SetupError(
          fmt::format("cannot record the original settings in {} ({}); set ZS_STATE_DIR "
                      "to a writable directory",
                      g_state_path, std::strerror(err)));
    }
    auto other = parse_state(sysfs::read(g_state_path).value_or(""));
    if (other && is_live_zeroscope(other->pid)) {
      ::unlink(g_state_tmp);
      throw SetupError(
          fmt::format("zeroscope pid {} is running with changed system settings (recorded "
                      "in {}); wait for it to finish, then rerun",
                      other->pid, g_state_path));
    }
    print_recovered(recover_leftover_settings());
    if (::access(g_state_path, F_OK) == 0) {
      ::unlink(g_state_tmp);
      throw SetupError(
          fmt::format("{} records settings that could not be restored; restore them as the "
                      "file lists (path, tab, original), remove it, then rerun",
                      g_state_path));
    }
  }
}

void sync_state_locked_nothrow() {
  try {
    sync_state_locked();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "zeroscope: %s\n", e.what());
  }
}

}  // namespace

std::string settings_state_path() {
  const char* dir = std::getenv("ZS_STATE_DIR");
  if (dir != nullptr && *dir != '\0') return std::string(dir) + "/settings.state";
  if (::geteuid() == 0) return "/run/zeroscope/settings.state";
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/zeroscope/settings.state";
  return fmt::format("/tmp/zeroscope-{}/settings.state", ::geteuid());
}

SettingGuard::SettingGuard(std::string path, std::string value) : path_(std::move(path)) {
  auto current = sysfs::read(path_);
  if (!current) {
    int err = errno;
    throw SetupError(
        fmt::format("{}: cannot read ({}); {}", path_, std::strerror(err), fix_for(err)));
  }
  // A choice list ("always [madvise] never") is written back as its selected word.
  original_ = current->find('[') != std::string::npos ? sysfs::selected(*current) : *current;
  if (path_.size() >= kPathMax || original_.size() >= kValueMax ||
      path_.find('\t') != std::string::npos || original_.find('\n') != std::string::npos)
    throw SetupError(fmt::format(
        "{}: path or value too long to record for restoring; use a shorter path", path_));

  std::lock_guard lock(g_mutex);
  int idx = -1;
  for (int i = 0; i < kMaxSlots && idx < 0; ++i)
    if (!g_slots[i].live) idx = i;
  if (idx < 0)
    throw SetupError(
        fmt::format("{}: more than {} system settings changed at once; change fewer in one run",
                    path_, kMaxSlots));
  Slot& s = g_slots[idx];
  std::snprintf(s.path, sizeof s.path, "%s", path_.c_str());
  std::snprintf(s.original, sizeof s.original, "%s", original_.c_str());
  s.seq = g_next_seq++;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  s.live = 1;
  try {
    sync_state_locked();  // recorded before the change: a SIGKILL from here on is recoverable
  } catch (...) {
    s.live = 0;
    sync_state_locked_nothrow();
    throw;
  }
  if (int err = raw_write(path_.c_str(), value.c_str())) {
    s.live = 0;
    sync_state_locked_nothrow();
    throw SetupError(fmt::format("{}: cannot write '{}' ({}); {}", path_, value, std::strerror(err),
                                 fix_for(err)));
  }
  slot_ = idx;
}

SettingGuard::SettingGuard(SettingGuard&& other) noexcept
    : path_(std::move(other.path_)), original_(std::move(other.original_)), slot_(other.slot_) {
  other.slot_ = -1;
}

SettingGuard::~SettingGuard() {
  if (slot_ < 0) return;
  std::lock_guard lock(g_mutex);
  if (int err = raw_write(path_.c_str(), original_.c_str())) {
    // Left live and recorded: the signal handler and the next run try again.
    std::fprintf(
        stderr,
        "zeroscope: could not restore %s to '%s' (%s); restore it with 'echo %s > %s' as root\n",
        path_.c_str(), original_.c_str(), std::strerror(err), original_.c_str(), path_.c_str());
    return;
  }
  g_slots[slot_].live = 0;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  sync_state_locked_nothrow();
}

std::vector<std::string> recover_leftover_settings() {
  const std::string path = settings_state_path();
  auto text = sysfs::read(path);
  if (!text) return {};
  std::vector<std::string> lines;
  auto state = parse_state(*text);
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
  std::vector<std::pair<std::string, std::string>> failed;
  for (auto it = state->settings.rbegin(); it != state->settings.rend(); ++it) {
    const auto& [file, original] = *it;
    if (int err = raw_write(file.c_str(), original.c_str())) {
      failed.insert(failed.begin(), *it);
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
  if (failed.empty()) {
    ::unlink(path.c_str());
  } else {
    std::string tmp = path + ".recover.tmp";
    if (write_tmp(tmp, format_state(state->pid, state->boot, failed)) == 0)
      ::rename(tmp.c_str(), path.c_str());
  }
  return lines;
}

void install_restore_on_signal() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      sigaction(sig, nullptr, &old);
      // Respect an inherited SIG_IGN (nohup, background jobs): not ours to undo.
      if (old.sa_handler == SIG_IGN) continue;
      struct sigaction sa {};
      sa.sa_handler = on_fatal_signal;
      sigemptyset(&sa.sa_mask);
      sigaddset(&sa.sa_mask, SIGINT);
      sigaddset(&sa.sa_mask, SIGTERM);
      sigaddset(&sa.sa_mask, SIGHUP);
      sigaction(sig, &sa, nullptr);
    }
  });
}

}  // namespace zs
