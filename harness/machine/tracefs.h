// tracefs, where the kernel lists its tracepoints (events/<sys>/<name>/id
// and format): found where it is mounted, or mounted for a moment at a
// private directory and unmounted again. The mount lives only while the
// ids and formats are read (the perf events need nothing from it after
// they are open); during that moment SIGINT, SIGTERM and SIGHUP are held
// back, so a stop request cannot leave the mount behind: it is delivered
// after the unmount.
#pragma once

#include <signal.h>

#include <optional>
#include <string>
#include <string_view>

namespace zs {

// The tracefs mount point in /proc/self/mounts' text (a tracefs line, or
// debugfs with its tracing directory), or nullopt.
std::optional<std::string> tracefs_in_mounts(std::string_view mounts);

class TracefsMount {
 public:
  // Finds tracefs or mounts it; check ok() and why() afterwards.
  TracefsMount();
  ~TracefsMount();  // unmounts and removes what it mounted; restores the signal mask
  TracefsMount(const TracefsMount&) = delete;
  TracefsMount& operator=(const TracefsMount&) = delete;

  bool ok() const { return !root_.empty() && why_.empty(); }
  const std::string& why() const { return why_; }  // why not ok
  const std::string& root() const { return root_; }
  // "/sys/kernel/tracing (mounted)" or "private mount at DIR, unmounted after reading".
  std::string how() const;
  bool mounted_here() const { return mounted_; }
  // The text of root()/events/RELATIVE, or nullopt when it cannot be read.
  std::optional<std::string> read(const std::string& relative) const;

 private:
  std::string root_, why_;
  bool mounted_ = false;
  sigset_t old_mask_{};
  bool masked_ = false;
};

}  // namespace zs
