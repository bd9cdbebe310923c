#include "memory/settings_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/errors.h"
#include "machine/sysfs.h"
#include "memory/settings_recovery.h"
#include "memory/settings_state.h"

namespace zs {
namespace {

struct Held {
  int fd = -1;
  int refs = 0;
};

std::mutex g_mutex;
std::map<std::string, Held> g_held;
bool g_wait = false;
std::function<void(const std::string&)> g_waiting;

// A process that only looks (another command recovering leftovers, which
// holds a lock for a moment) is not an owner: it is waited out this long.
constexpr auto kGrace = std::chrono::milliseconds(1500);

int open_setting(const std::string& path) {
  return ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
}

std::string open_fix(int err) {
  switch (err) {
    case EACCES:
    case EPERM:
      return "run as root";
    case ENOENT:
      return "this kernel does not offer this setting";
    default:
      return "check that the file is a kernel setting";
  }
}

long lock_holder_pid(int fd) {
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) return 0;
  const std::string id =
      fmt::format("{:02x}:{:02x}:{}", major(st.st_dev), minor(st.st_dev), st.st_ino);
  std::ifstream in("/proc/locks");
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("->") != std::string::npos) continue;  // a waiter, not a holder
    std::istringstream words(line);
    std::vector<std::string> w{std::istream_iterator<std::string>(words), {}};
    if (w.size() >= 6 && w[1] == "FLOCK" && w[5] == id) return std::atol(w[4].c_str());
  }
  return 0;
}

void acquire(int fd, const std::string& path) {
  const auto until = std::chrono::steady_clock::now() + kGrace;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      int err = errno;
      ::close(fd);
      throw SetupError(fmt::format("{}: cannot lock it to own it ({})", path, std::strerror(err)));
    }
    if (std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    const std::string owner = setting_owner_text(path, fd);
    if (!g_wait) {
      ::close(fd);
      throw SetupError(
          fmt::format("{} is owned by {}, which is still running and has changed or needs it; "
                      "wait for it to finish, or rerun with {} to wait for it",
                      path, owner, option_ref(Option::wait)));
    }
    if (g_waiting) g_waiting(fmt::format("waiting for {} to finish: it owns {}", owner, path));
    while (::flock(fd, LOCK_EX) != 0)
      if (errno != EINTR) {
        int err = errno;
        ::close(fd);
        throw SetupError(
            fmt::format("{}: waiting for its lock failed ({})", path, std::strerror(err)));
      }
    return;
  }
}

}  // namespace

SettingLock::SettingLock(const std::string& path) : path_(path) {
  {
    std::lock_guard lock(g_mutex);
    auto it = g_held.find(path);
    if (it != g_held.end()) {
      ++it->second.refs;
      return;
    }
  }
  int fd = open_setting(path);
  if (fd < 0) {
    int err = errno;
    path_.clear();
    throw SetupError(
        fmt::format("{}: cannot read ({}); {}", path, std::strerror(err), open_fix(err)));
  }
  try {
    acquire(fd, path);
  } catch (...) {
    path_.clear();
    throw;
  }
  {
    std::lock_guard lock(g_mutex);
    g_held[path] = Held{fd, 1};
  }
  try {
    recover_before_owning(path);  // a dead owner's original first
  } catch (...) {
    std::lock_guard lock(g_mutex);
    g_held.erase(path);
    ::close(fd);
    path_.clear();
    throw;
  }
}

SettingLock::SettingLock(SettingLock&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

SettingLock::~SettingLock() {
  if (path_.empty()) return;
  std::lock_guard lock(g_mutex);
  auto it = g_held.find(path_);
  if (it == g_held.end() || --it->second.refs > 0) return;
  ::close(it->second.fd);  // the kernel drops the lock with the last reference
  g_held.erase(it);
}

void set_wait_for_setting_owners(bool wait, std::function<void(const std::string&)> waiting) {
  std::lock_guard lock(g_mutex);
  g_wait = wait;
  g_waiting = std::move(waiting);
}

bool holds_setting_lock(const std::string& path) {
  std::lock_guard lock(g_mutex);
  return g_held.count(path) != 0;
}

int try_lock_setting(const std::string& path, int* err) {
  int fd = open_setting(path);
  if (fd < 0) {
    *err = errno;
    return -1;
  }
  int rc;
  do rc = ::flock(fd, LOCK_EX | LOCK_NB);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    *err = errno;
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string setting_owner_text(const std::string& path, int fd) {
  int own = fd < 0 ? open_setting(path) : fd;
  long pid = lock_holder_pid(own);
  if (fd < 0 && own >= 0) ::close(own);
  if (pid > 0) {
    std::string cmd = command_line_of(pid);
    if (!cmd.empty()) return fmt::format("pid {} ({})", pid, cmd);
  }
  for (const std::string& dir : settings_state_dirs()) {
    auto text = sysfs::read(settings_record_path(dir, path));
    auto rec = text ? parse_settings_record(*text) : std::nullopt;
    if (rec) return fmt::format("pid {} ({})", rec->pid, rec->cmd.empty() ? "?" : rec->cmd);
  }
  return pid > 0 ? fmt::format("pid {}", pid) : "another process";
}

}  // namespace zs
