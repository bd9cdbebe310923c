// Kernel tracepoints as perf events: a tracepoint's `format` file (tracefs
// events/<sys>/<name>/format) read into its fields, and the raw records of
// the three tracepoints the fault anatomy uses decoded through those
// fields. Offsets are read from the format file, never assumed: they move
// between kernel versions and configurations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "counters/trace_ring.h"

namespace zs {

struct TraceField {
  std::string name;  // "order", "common_type"
  std::uint32_t offset = 0, size = 0;
  bool is_signed = false;
};

struct TracepointFormat {
  std::string name;      // from the file's "name:" line
  std::uint32_t id = 0;  // from its "ID:" line (0 when absent)
  std::vector<TraceField> fields;
  const TraceField* field(std::string_view name) const;
};

// Throws SetupError "NAME: problem" when the text is not a format file.
TracepointFormat parse_tracepoint_format(std::string_view text, const std::string& name);

// An unsigned little-endian field of 1, 2, 4 or 8 bytes; nullopt when the
// record is too short for it.
std::optional<std::uint64_t> read_field(std::span<const std::byte> raw, const TraceField& f);

// What the fault anatomy reads from a record.
enum class TraceKind { fault_entry, page_alloc, rss_stat, other };
struct TraceEvent {
  TraceKind kind = TraceKind::other;
  std::uint32_t tid = 0;
  std::uint64_t time = 0;   // ns, the clock the events were opened with
  std::uint32_t order = 0;  // page_alloc: the allocation's order
};

// The ids and the fields a decoder needs: exceptions:page_fault_user,
// kmem:mm_page_alloc (its `order`) and, optional, kmem:rss_stat.
struct TraceDecoder {
  std::uint32_t fault_entry_id = 0, page_alloc_id = 0, rss_stat_id = 0;
  TraceField common_type, order;
};
// Throws SetupError when a format lacks common_type or order.
TraceDecoder make_trace_decoder(const TracepointFormat& fault_entry,
                                const TracepointFormat& page_alloc,
                                const TracepointFormat* rss_stat);

// The samples of a parsed ring, in ring order; records of another type or
// too short for their fields are `other`.
std::vector<TraceEvent> decode_events(const RingParse& ring, const TraceDecoder& d);

}  // namespace zs
