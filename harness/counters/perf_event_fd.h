// Owners for perf_event file descriptors and their mmapped user pages:
// closed and unmapped in the destructor, so no error path leaks a counter.
#pragma once

#include <linux/perf_event.h>
#include <sys/types.h>

#include <cerrno>
#include <string>
#include <utility>

namespace zs {

class PerfEventFd {
 public:
  PerfEventFd() = default;
  // perf_event_open(attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC); check
  // valid() and error() (errno) afterwards.
  PerfEventFd(perf_event_attr attr, pid_t pid, int cpu, int group_fd);
  ~PerfEventFd();
  PerfEventFd(PerfEventFd&& o) noexcept { *this = std::move(o); }
  PerfEventFd& operator=(PerfEventFd&& o) noexcept;
  PerfEventFd(const PerfEventFd&) = delete;
  PerfEventFd& operator=(const PerfEventFd&) = delete;

  bool valid() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  int error() const { return errno_; }
  std::uint64_t id() const { return id_; }
  // The event's first mmap page (user-space reads); nullptr if not mapped.
  const perf_event_mmap_page* page() const { return page_; }
  bool map_page();

 private:
  int fd_ = -1;
  int errno_ = 0;
  std::uint64_t id_ = 0;
  perf_event_mmap_page* page_ = nullptr;
};

// Why perf_event_open failed, in words a user can act on.
std::string perf_open_error(int err, const perf_event_attr& attr, int paranoid);

}  // namespace zs
