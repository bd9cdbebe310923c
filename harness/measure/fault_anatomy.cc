#include "measure/fault_anatomy.h"

#include <fmt/format.h>

namespace zs {

FaultAnatomy unformed(std::string why) {
  FaultAnatomy a;
  a.why = std::move(why);
  return a;
}

FaultAnatomy fault_anatomy(const std::vector<TraceEvent>& events, std::uint64_t lost,
                           const FaultWindow& w) {
  if (lost > 0) return unformed(fmt::format("{} trace records lost (ring full)", lost));
  const TraceEvent *entry = nullptr, *folio = nullptr, *next = nullptr;
  for (const TraceEvent& e : events) {
    if (e.tid != w.tid || e.time < w.start_ns || e.time > w.end_ns) continue;
    if (entry == nullptr) {
      if (e.kind == TraceKind::fault_entry) entry = &e;
    } else if (folio == nullptr) {
      if (e.kind == TraceKind::page_alloc && e.order == w.folio_order) folio = &e;
    } else if (e.kind == TraceKind::page_alloc || e.kind == TraceKind::rss_stat) {
      // The ring is in time order per CPU; a thread pinned to one CPU
      // writes its records in order, so the first after the folio is next.
      next = &e;
      break;
    }
  }
  if (entry == nullptr) return unformed("no fault entry record in the fault");
  if (folio == nullptr)
    return unformed(fmt::format("no allocation of order {} after the entry", w.folio_order));
  if (next == nullptr) return unformed("no allocation or rss update after the folio's");
  if (folio->time < entry->time || next->time < folio->time)
    return unformed("records out of time order");
  FaultAnatomy a;
  a.alloc_ns = folio->time - entry->time;
  a.zero_ns = next->time - folio->time;
  a.map_ns = w.end_ns - next->time;
  return a;
}

}  // namespace zs
