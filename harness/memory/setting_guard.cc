// The originals live in two places: a fixed static table that the signal
// handler can read without allocating or locking, and a state file that
// survives SIGKILL. The table is the truth inside the process; the file is
// rewritten from it (write to a temporary, then link/rename, so a reader
// never sees half a file) before every change and after every restore.
#include "memory/setting_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>

#include <fmt/format.h>

#include "common/errors.h"
#include "machine/sysfs.h"
#include "memory/settings_recovery.h"
#include "memory/settings_state.h"

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
    if (write_setting(g_slots[pick].path, g_slots[pick].original) != 0) ++failed;
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

std::vector<std::pair<std::string, std::string>> live_settings_locked() {
  std::vector<int> idx;
  for (int i = 0; i < kMaxSlots; ++i)
    if (g_slots[i].live) idx.push_back(i);
  std::sort(idx.begin(), idx.end(), [](int a, int b) { return g_slots[a].seq < g_slots[b].seq; });
  std::vector<std::pair<std::string, std::string>> out;
  for (int i : idx) out.emplace_back(g_slots[i].path, g_slots[i].original);
  return out;
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
    ensure_state_dir(path);
    std::string tmp = fmt::format("{}.{}.tmp", path, ::getpid());
    std::snprintf(g_state_path, sizeof g_state_path, "%s", path.c_str());
    std::snprintf(g_state_tmp, sizeof g_state_tmp, "%s", tmp.c_str());
  }
  std::string text = format_settings_record({::getpid(), boot_id(), settings});
  if (int err = write_private_file(g_state_tmp, text))
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
  // First record of this process: claim the file (settings_recovery.h).
  claim_state_file(g_state_tmp, g_state_path);
  g_owns_state = 1;
}

void sync_state_locked_nothrow() {
  try {
    sync_state_locked();
  } catch (const std::exception& e) {
    add_settings_notice(e.what());
  }
}

}  // namespace

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
  if (int err = write_setting(path_.c_str(), value.c_str())) {
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
  if (int err = write_setting(path_.c_str(), original_.c_str())) {
    // Left live and recorded: the signal handler and the next run try again.
    add_settings_notice(
        fmt::format("could not restore {} to '{}' ({}); restore it with 'echo {} > {}' as root",
                    path_, original_, std::strerror(err), original_, path_));
    return;
  }
  g_slots[slot_].live = 0;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  sync_state_locked_nothrow();
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
