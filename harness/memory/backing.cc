#include "memory/backing.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "common/parse.h"
#include "memory/backing_detail.h"

namespace zs {

std::size_t backing_detail::base_page() {
  return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

namespace {

using backing_detail::not_huge;
using backing_detail::unverified;

// The fds are owned by BackingVerifier, whose layout the header fixes; this
// owner only covers the window between open() and handing them over, so a
// constructor that gives up half-way leaks nothing.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

const char* to_string(BackingMethod m) {
  switch (m) {
    case BackingMethod::kpageflags:
      return "kpageflags";
    case BackingMethod::smaps:
      return "smaps";
    case BackingMethod::none:
      return "none";
  }
  return "none";
}

BackingVerifier::BackingVerifier(bool allow_kpageflags) {
  if (allow_kpageflags) {
    UniqueFd pagemap(::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC));
    UniqueFd kpageflags(::open("/proc/kpageflags", O_RDONLY | O_CLOEXEC));
    if (pagemap.get() >= 0 && kpageflags.get() >= 0 &&
        backing_detail::pfns_visible(pagemap.get())) {
      pagemap_fd_ = pagemap.release();
      kpageflags_fd_ = kpageflags.release();
      method_ = BackingMethod::kpageflags;
      return;
    }
  }
  if (::access("/proc/self/smaps", R_OK) == 0) method_ = BackingMethod::smaps;
}

BackingVerifier::~BackingVerifier() {
  if (pagemap_fd_ >= 0) ::close(pagemap_fd_);
  if (kpageflags_fd_ >= 0) ::close(kpageflags_fd_);
}

BackingCheck BackingVerifier::check_folio(const void* addr, std::size_t bytes, bool hugetlb) const {
  if (method_ == BackingMethod::none)
    return unverified(
        "no method: /proc/kpageflags needs CAP_SYS_ADMIN and /proc/self/smaps is unreadable");
  const std::size_t page = backing_detail::base_page();
  const auto a = reinterpret_cast<std::uintptr_t>(addr);
  const std::size_t n = bytes / page;
  // A folio is 2^order base pages, never anything else.
  if (bytes == 0 || bytes % page != 0 || (n & (n - 1)) != 0)
    return not_huge(
        fmt::format("{} bytes is not a folio size (a power-of-two number of pages)", bytes));
  if (a % page != 0) return not_huge(fmt::format("address {:#x} is not page-aligned", a));
  if (method_ == BackingMethod::kpageflags)
    return backing_detail::check_kpageflags(pagemap_fd_, kpageflags_fd_, a, bytes, hugetlb);
  return backing_detail::check_smaps(a, bytes, hugetlb);
}

std::optional<ThpFaultCounters> read_thp_fault_counters() {
  // Only PMD-sized faults: mTHP sizes count in
  // /sys/kernel/mm/transparent_hugepage/hugepages-<kB>kB/stats/anon_fault_*.
  std::ifstream vmstat("/proc/vmstat");
  std::string name, value;
  std::optional<std::uint64_t> alloc, fallback;
  while (vmstat >> name >> value) {
    if (name == "thp_fault_alloc")
      alloc = parse_u64(value);
    else if (name == "thp_fault_fallback")
      fallback = parse_u64(value);
  }
  if (!alloc || !fallback) return std::nullopt;
  return ThpFaultCounters{*alloc, *fallback};
}

}  // namespace zs
