// The tracepoints of a kernel fault, opened as perf events on the measuring
// thread: exceptions:page_fault_user (the entry), kmem:mm_page_alloc (the
// folio, then the page-table page) and, where the kernel has it,
// kmem:rss_stat (the mapping's counter update, the bracket after zeroing
// where no allocation follows: mTHP, whose faults alone enable it). One
// ring buffer, sampled with period 1 and CLOCK_MONOTONIC timestamps so the
// records compare with the PhaseMeter's clock reads. Enabling and disabling are ioctls made outside
// the measured window; the records are read after it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "counters/perf_event_fd.h"
#include "counters/trace_ring.h"
#include "counters/tracepoint_events.h"
#include "measure/fault_anatomy.h"
#include "memory/folio_pool.h"

namespace zs {

struct TracepointUse {
  std::string name;  // "kmem:mm_page_alloc"
  std::uint32_t id = 0;
  std::string role;  // what its record marks in the fault
};

class FaultTracer {
 public:
  // Opens the tracepoints on the calling thread (mounting tracefs for the
  // moment it takes, see machine/tracefs.h). Never throws: available() and
  // why() say whether it can trace.
  FaultTracer();
  ~FaultTracer();
  FaultTracer(const FaultTracer&) = delete;
  FaultTracer& operator=(const FaultTracer&) = delete;

  bool available() const { return why_.empty(); }
  const std::string& why() const { return why_; }
  // Why faults of this backing get no spans even with tracing ("" = they do).
  static std::string untraceable(Backing b);

  // Drops older records first; rss_bracket: also kmem:rss_stat (mTHP faults,
  // whose page table comes before the folio).
  void enable(bool rss_bracket = false);
  void disable();
  // After disable(): the spans of the fault in `w`, or the reason.
  FaultAnatomy collect(const FaultWindow& w);
  // The ring's unread bytes (recording fixtures); marks them read.
  RingSnapshot take() { return ring_.take(); }
  pid_t tid() const { return tid_; }
  const TraceDecoder& decoder() const { return decoder_; }
  // Tracepoints, tracefs, availability and why, the bound's meaning.
  nlohmann::json to_json() const;

 private:
  std::vector<PerfEventFd> fds_;  // leader first
  PerfEventFd rss_;               // kmem:rss_stat, outside the group
  bool rss_on_ = false;
  TraceRing ring_;
  TraceDecoder decoder_;
  std::vector<TracepointUse> used_;
  std::string why_, mount_;
  pid_t tid_ = 0;
};

// The order of a folio of `folio_bytes` in pages of `page_bytes`.
std::uint32_t folio_order(std::uint64_t folio_bytes, std::uint64_t page_bytes);

}  // namespace zs
