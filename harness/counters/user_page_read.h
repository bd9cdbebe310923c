// Reading a counter from user space through its perf mmap page, the
// kernel's documented seqlock loop (include/uapi/linux/perf_event.h): the
// page's `offset` plus the live hardware counter, retried while the kernel
// updated the page under us. No system call: this is the cheap read path.
#pragma once

#include <linux/perf_event.h>

#include <atomic>
#include <cstdint>
#include <optional>

namespace zs {

struct UserPageCount {
  std::uint64_t count = 0;
  // time_enabled - time_running as of the last (de)scheduling: if it grows
  // between two reads, the event was off its counter in between.
  std::uint64_t off_time = 0;
};

// `read_pmc(index)` is the architecture's user-space counter read
// (platform::read_pmc in production, a fake in tests). nullopt when the
// event is not on a counter now (index 0) or the page does not permit
// user reads: the caller falls back to read().
template <class ReadPmc>
inline std::optional<UserPageCount> read_user_page(const volatile perf_event_mmap_page* pc,
                                                   ReadPmc&& read_pmc) {
  std::uint32_t seq;
  UserPageCount out;
  do {
    seq = pc->lock;
    std::atomic_signal_fence(std::memory_order_seq_cst);
    const std::uint32_t idx = pc->index;
    if (!pc->cap_user_rdpmc || idx == 0) return std::nullopt;
    std::uint64_t count = static_cast<std::uint64_t>(pc->offset);
    auto pmc = read_pmc(idx);
    if (!pmc) return std::nullopt;
    const unsigned width = pc->pmc_width;
    // Sign-extend the counter's width, as the kernel's example does.
    std::int64_t v = static_cast<std::int64_t>(*pmc << (64 - width)) >> (64 - width);
    count += static_cast<std::uint64_t>(v);
    out.count = count;
    out.off_time = pc->time_enabled - pc->time_running;
    std::atomic_signal_fence(std::memory_order_seq_cst);
  } while (pc->lock != seq);
  return out;
}

}  // namespace zs
