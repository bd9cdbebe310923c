// Where one kernel fault's time goes, from its tracepoint records: entry
// (exceptions:page_fault_user) to the folio's allocation (kmem:mm_page_alloc
// of the folio's order), the folio's allocation to the next allocation on
// the thread (the page-table page a PMD fault deposits after zeroing; where
// none follows, the rss_stat update of the mapping), and that to the
// fault's return. The middle span is the zeroing plus the memcg charge and
// whatever else lies between: an upper bound of the zeroing, not the
// zeroing. A pure function of the records, so it is tested on recorded
// ring buffers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "counters/tracepoint_events.h"

namespace zs {

struct FaultWindow {
  std::uint32_t tid = 0;          // the measuring thread
  std::uint64_t start_ns = 0;     // the phase's clock reads (CLOCK_MONOTONIC),
  std::uint64_t end_ns = 0;       // the same clock the events carry
  std::uint32_t folio_order = 0;  // log2(folio pages)
};

struct FaultAnatomy {
  std::optional<std::uint64_t> alloc_ns, zero_ns, map_ns;
  std::string why;  // "" when formed; else why the spans cannot be formed
  bool formed() const { return why.empty(); }
};

// Records of other threads, or outside the window, are not looked at; lost
// records make the spans unknowable (the one that mattered may be gone).
FaultAnatomy fault_anatomy(const std::vector<TraceEvent>& events, std::uint64_t lost,
                           const FaultWindow& w);

// One reason for every sample no spans are formed for (backing, tracing).
FaultAnatomy unformed(std::string why);

}  // namespace zs
