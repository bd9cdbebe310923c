// The originals live in two places: a fixed static table that the signal
// handler can read without allocating or locking, and one record file per
// setting that survives SIGKILL. The table is the truth inside the process;
// a record is rewritten from it (write to a temporary, then rename, so a
// reader never sees half a file) before every change and after every
// restore, always with the setting's lock held (settings_lock.h).
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

#include "common/clock.h"
#include "common/errors.h"
#include "machine/sysfs.h"
#include "memory/settings_recovery.h"
#include "memory/settings_state.h"

namespace zs {
namespace {

constexpr int kMaxSlots = 16;
constexpr std::size_t kPathMax = 256, kValueMax = 128, kRecordMax = 512;

struct Slot {
  char path[kPathMax];
  char original[kValueMax];
  char record[kRecordMax];           // its record file (settings_state.h)
  char record_tmp[kRecordMax + 32];  // where that is written before the rename
  unsigned long seq;
  std::uint64_t order;
  volatile sig_atomic_t live;
};

// Everything below is read by the signal handler: plain arrays, written by
// ordinary code under g_mutex with a signal fence before `live` flips, so the
// handler never sees a half-filled slot as live.
Slot g_slots[kMaxSlots];
unsigned long g_next_seq = 1;
std::mutex g_mutex;

// Restores every live slot, newest first (an mTHP size before the top-level
// switch it was enabled under), then removes the records of what came back.
// A setting that could not be written back stays recorded for the next run.
void restore_live_slots_signal_safe() {
  bool done[kMaxSlots] = {}, failed[kMaxSlots] = {};
  for (;;) {
    int pick = -1;
    for (int i = 0; i < kMaxSlots; ++i)
      if (g_slots[i].live && !done[i] && (pick < 0 || g_slots[i].seq > g_slots[pick].seq)) pick = i;
    if (pick < 0) break;
    done[pick] = true;
    failed[pick] = write_setting(g_slots[pick].path, g_slots[pick].original) != 0;
  }
  for (int i = 0; i < kMaxSlots; ++i) {
    if (!g_slots[i].live) continue;
    bool keep = false;
    for (int j = 0; j < kMaxSlots; ++j)
      if (g_slots[j].live && failed[j] && std::strcmp(g_slots[j].record, g_slots[i].record) == 0)
        keep = true;
    if (!keep) ::unlink(g_slots[i].record);
    ::unlink(g_slots[i].record_tmp);
  }
}

void on_fatal_signal(int sig) {
  int saved_errno = errno;
  restore_live_slots_signal_safe();
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

// Brings the record of the setting `path` in line with the table: every
// live slot of it (nested guards of one process), or no file. Throws
// SetupError when the record cannot be written (the caller must then not
// change the setting).
void sync_record_locked(const std::string& path) {
  std::vector<int> idx;
  for (int i = 0; i < kMaxSlots; ++i)
    if (g_slots[i].live && path == g_slots[i].path) idx.push_back(i);
  const std::string record = settings_record_path(settings_state_dir(), path);
  if (idx.empty()) {
    ::unlink(record.c_str());
    return;
  }
  std::sort(idx.begin(), idx.end(), [](int a, int b) { return g_slots[a].seq < g_slots[b].seq; });
  SettingsRecord rec{::getpid(), boot_id(), own_command_line(), g_slots[idx[0]].order, {}};
  for (int i : idx) rec.settings.emplace_back(g_slots[i].path, g_slots[i].original);
  const char* tmp = g_slots[idx[0]].record_tmp;
  int err = write_private_file(tmp, format_settings_record(rec));
  if (err == 0 && ::rename(tmp, record.c_str()) != 0) {
    err = errno;
    ::unlink(tmp);
  }
  if (err)
    throw SetupError(
        fmt::format("cannot record the original of {} in {} ({}); set ZS_STATE_DIR to a "
                    "writable directory",
                    path, record, std::strerror(err)));
}

void sync_record_locked_nothrow(const std::string& path) {
  try {
    sync_record_locked(path);
  } catch (const std::exception& e) {
    add_settings_notice(e.what());
  }
}

}  // namespace

SettingGuard::SettingGuard(std::string path, std::string value)
    : lock_(path), path_(std::move(path)) {
  // Owned from here on (settings_lock.h): what is read now is the original.
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
  const std::string dir = settings_state_dir();
  const std::string record = settings_record_path(dir, path_);
  if (record.size() >= kRecordMax)
    throw SetupError(
        fmt::format("settings state directory {} is too long a path; set ZS_STATE_DIR to a "
                    "shorter directory",
                    dir));
  ensure_state_dir(dir);

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
  std::snprintf(s.record, sizeof s.record, "%s", record.c_str());
  std::snprintf(s.record_tmp, sizeof s.record_tmp, "%s.%d.tmp", record.c_str(),
                static_cast<int>(::getpid()));
  s.seq = g_next_seq++;
  s.order = monotonic_ns();
  std::atomic_signal_fence(std::memory_order_seq_cst);
  s.live = 1;
  try {
    sync_record_locked(path_);  // recorded before the change: a SIGKILL from here on is recoverable
  } catch (...) {
    s.live = 0;
    sync_record_locked_nothrow(path_);
    throw;
  }
  if (int err = write_setting(path_.c_str(), value.c_str())) {
    s.live = 0;
    sync_record_locked_nothrow(path_);
    throw SetupError(fmt::format("{}: cannot write '{}' ({}); {}", path_, value, std::strerror(err),
                                 fix_for(err)));
  }
  slot_ = idx;
}

SettingGuard::SettingGuard(SettingGuard&& other) noexcept
    : lock_(std::move(other.lock_)),
      path_(std::move(other.path_)),
      original_(std::move(other.original_)),
      slot_(other.slot_) {
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
  sync_record_locked_nothrow(path_);
}  // then lock_ goes: the setting is released only once restored and unrecorded

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
