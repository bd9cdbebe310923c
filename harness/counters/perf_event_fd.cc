#include "counters/perf_event_fd.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

namespace zs {

PerfEventFd::PerfEventFd(perf_event_attr attr, pid_t pid, int cpu, int group_fd) {
  attr.size = sizeof attr;
  fd_ = static_cast<int>(
      syscall(SYS_perf_event_open, &attr, pid, cpu, group_fd, PERF_FLAG_FD_CLOEXEC));
  if (fd_ < 0) {
    errno_ = errno;
    return;
  }
  if (ioctl(fd_, PERF_EVENT_IOC_ID, &id_) != 0) id_ = 0;
}

PerfEventFd::~PerfEventFd() {
  if (page_ != nullptr) munmap(page_, static_cast<std::size_t>(sysconf(_SC_PAGESIZE)));
  if (fd_ >= 0) close(fd_);
}

PerfEventFd& PerfEventFd::operator=(PerfEventFd&& o) noexcept {
  if (this != &o) {
    this->~PerfEventFd();
    fd_ = std::exchange(o.fd_, -1);
    errno_ = o.errno_;
    id_ = o.id_;
    page_ = std::exchange(o.page_, nullptr);
  }
  return *this;
}

bool PerfEventFd::map_page() {
  if (page_ != nullptr) return true;
  void* p =
      mmap(nullptr, static_cast<std::size_t>(sysconf(_SC_PAGESIZE)), PROT_READ, MAP_SHARED, fd_, 0);
  if (p == MAP_FAILED) return false;
  page_ = static_cast<perf_event_mmap_page*>(p);
  return true;
}

std::string perf_open_error(int err, const perf_event_attr& attr, int paranoid) {
  const bool hw = attr.type == PERF_TYPE_HARDWARE || attr.type == PERF_TYPE_HW_CACHE ||
                  attr.type == PERF_TYPE_RAW || attr.type >= PERF_TYPE_MAX;
  switch (err) {
    case ENOENT:
    case ENODEV:
      return hw ? "no hardware PMU for this event: the kernel exposes software events only "
                  "(perf_event_open: " +
                      std::string(std::strerror(err)) + ")"
                : fmt::format("the kernel does not support this event (perf_event_open: {})",
                              std::strerror(err));
    case EACCES:
    case EPERM:
      return fmt::format(
          "not permitted: perf_event_paranoid is {}; run as root, grant CAP_PERFMON, or 'sysctl "
          "kernel.perf_event_paranoid={}'",
          paranoid, attr.exclude_kernel ? 2 : 1);
    case EOPNOTSUPP:
      return "the PMU does not support this configuration (perf_event_open: EOPNOTSUPP)";
    case EINVAL:
      return "the kernel rejects this encoding (perf_event_open: EINVAL): event unknown to this "
             "CPU";
    case EBUSY:
      return "the counter is in exclusive use by another tool (perf_event_open: EBUSY)";
    default:
      return fmt::format("perf_event_open: {}", std::strerror(err));
  }
}

}  // namespace zs
