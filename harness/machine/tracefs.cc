#include "machine/tracefs.h"

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace zs {

namespace {

bool has_events(const std::string& dir) { return access((dir + "/events").c_str(), R_OK) == 0; }

}  // namespace

std::optional<std::string> tracefs_in_mounts(std::string_view mounts) {
  std::optional<std::string> debugfs;
  std::istringstream in{std::string(mounts)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string dev, dir, type;
    if (!(f >> dev >> dir >> type)) continue;
    if (type == "tracefs") return dir;
    if (type == "debugfs" && !debugfs) debugfs = dir + "/tracing";
  }
  return debugfs;
}

TracefsMount::TracefsMount() {
  std::ifstream in("/proc/self/mounts");
  std::stringstream ss;
  ss << in.rdbuf();
  if (auto dir = tracefs_in_mounts(ss.str()); dir && has_events(*dir)) {
    root_ = *dir;
    return;
  }
  // A stop request waits until the mount is gone again (the destructor).
  sigset_t stop;
  sigemptyset(&stop);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&stop, sig);
  masked_ = sigprocmask(SIG_BLOCK, &stop, &old_mask_) == 0;
  char dir[] = "/tmp/zeroscope-tracefs-XXXXXX";
  if (mkdtemp(dir) == nullptr) {
    why_ = fmt::format("tracefs is not mounted and no directory to mount it at: mkdtemp: {}",
                       std::strerror(errno));
    return;
  }
  if (mount("tracefs", dir, "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    const int err = errno;
    rmdir(dir);
    why_ = fmt::format("tracefs is not mounted and cannot be: mount: {}{}", std::strerror(err),
                       err == EPERM ? " (run as root)" : "");
    return;
  }
  root_ = dir;
  mounted_ = true;
  if (!has_events(root_)) why_ = fmt::format("{}/events cannot be read", root_);
}

TracefsMount::~TracefsMount() {
  if (mounted_) {
    // MNT_DETACH: an open file of ours cannot keep it mounted.
    if (umount2(root_.c_str(), MNT_DETACH) == 0) rmdir(root_.c_str());
  }
  if (masked_) sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

std::string TracefsMount::how() const {
  if (!ok()) return "none";
  return mounted_
             ? fmt::format("private mount at {}, unmounted after reading the tracepoints", root_)
             : fmt::format("{} (already mounted)", root_);
}

std::optional<std::string> TracefsMount::read(const std::string& relative) const {
  if (!ok()) return std::nullopt;
  std::ifstream in(root_ + "/events/" + relative);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace zs
