// The fault anatomy's parsing, on recorded buffers: tracepoint format files
// and trace ring bytes captured around real 2 MiB THP faults on the
// development machine (kernel 6.18, tests/fixtures/trace/, recorded by
// tests/tools/capture_fault_trace.cc), then hand-made edge cases: lost
// records, other threads' records, a missing second allocation, records
// that wrap around the ring's end at every offset, damaged rings. Pure.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "common/errors.h"
#include "counters/trace_ring.h"
#include "counters/tracepoint_events.h"
#include "machine/tracefs.h"
#include "measure/fault_anatomy.h"

namespace zs {
namespace {

const std::string kDir = std::string(ZS_SOURCE_DIR) + "/tests/fixtures/trace/";

std::string text_of(const std::string& name) {
  std::ifstream in(kDir + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TracepointFormat format_of(const std::string& name) {
  return parse_tracepoint_format(text_of(name + ".format"), name);
}

TraceDecoder decoder() {
  const TracepointFormat entry = format_of("page_fault_user"), alloc = format_of("mm_page_alloc"),
                         rss = format_of("rss_stat");
  return make_trace_decoder(entry, alloc, &rss);
}

struct Recorded {
  RingSnapshot ring;
  FaultWindow window;
};

Recorded recorded(const std::string& name) {
  Recorded r;
  const std::string bytes = text_of(name + ".ring");
  r.ring.data.resize(bytes.size());
  std::memcpy(r.ring.data.data(), bytes.data(), bytes.size());
  std::istringstream in(text_of(name + ".txt"));
  std::map<std::string, std::uint64_t> v;
  std::string key;
  std::uint64_t value = 0;
  while (in >> key >> value) v[key] = value;
  r.ring.tail = v.at("tail");
  r.ring.head = v.at("head");
  r.window = {std::uint32_t(v.at("tid")), v.at("start_ns"), v.at("end_ns"),
              std::uint32_t(v.at("folio_order"))};
  return r;
}

std::vector<TraceEvent> events_of(const Recorded& r) {
  const RingParse p = parse_ring(r.ring.data, r.ring.tail, r.ring.head);
  EXPECT_EQ(p.damage, "");
  EXPECT_EQ(p.lost, 0u);
  return decode_events(p, decoder());
}

TEST(TracepointFormat, FieldsAndIdComeFromTheFormatFile) {
  const TracepointFormat alloc = format_of("mm_page_alloc");
  EXPECT_EQ(alloc.name, "mm_page_alloc");
  EXPECT_EQ(alloc.id, 653u);
  const TraceField* order = alloc.field("order");
  ASSERT_NE(order, nullptr);
  EXPECT_EQ(order->offset, 16u);
  EXPECT_EQ(order->size, 4u);
  EXPECT_FALSE(order->is_signed);
  ASSERT_NE(alloc.field("common_pid"), nullptr);
  EXPECT_TRUE(alloc.field("common_pid")->is_signed);
  EXPECT_EQ(format_of("page_fault_user").field("error_code")->offset, 24u);
  EXPECT_EQ(alloc.field("nonexistent"), nullptr);
  // Offsets are read, not assumed: a kernel that moves `order` moves it here.
  std::string moved = text_of("mm_page_alloc.format");
  moved.replace(moved.find("order;\toffset:16"), 16, "order;\toffset:20");
  EXPECT_EQ(parse_tracepoint_format(moved, "x").field("order")->offset, 20u);
}

TEST(TracepointFormat, NotAFormatFileIsRefused) {
  EXPECT_THROW(parse_tracepoint_format("hello\n", "f"), SetupError);
  EXPECT_THROW(parse_tracepoint_format("\tfield:int x;\tsize:4;\n", "f"), SetupError);
  TracepointFormat no_order = format_of("page_fault_user");
  EXPECT_THROW(make_trace_decoder(no_order, no_order, nullptr), SetupError);
}

TEST(TracepointFormat, ReadFieldIsBoundedByTheRecord) {
  const std::byte raw[6] = {std::byte{1}, std::byte{2}, std::byte{3},
                            std::byte{4}, std::byte{5}, std::byte{6}};
  EXPECT_EQ(read_field(raw, {"x", 0, 2, false}), 0x0201u);
  EXPECT_EQ(read_field(raw, {"x", 2, 4, false}), 0x06050403u);
  EXPECT_FALSE(read_field(raw, {"x", 4, 4, false}).has_value());
  EXPECT_FALSE(read_field(raw, {"x", 0, 3, false}).has_value());
}

TEST(TraceRing, ARecordedFaultIsEntryFolioPageTableAndRss) {
  const Recorded r = recorded("thp-fault");
  const std::vector<TraceEvent> ev = events_of(r);
  std::vector<TraceKind> kinds;
  for (const TraceEvent& e : ev) {
    EXPECT_EQ(e.tid, r.window.tid);
    EXPECT_GE(e.time, r.window.start_ns);
    EXPECT_LE(e.time, r.window.end_ns);
    kinds.push_back(e.kind);
  }
  EXPECT_EQ(kinds, (std::vector<TraceKind>{TraceKind::fault_entry, TraceKind::page_alloc,
                                           TraceKind::page_alloc, TraceKind::rss_stat}));
  EXPECT_EQ(ev[1].order, 9u);  // the 2 MiB folio
  EXPECT_EQ(ev[2].order, 0u);  // the page-table page deposited after zeroing
}

TEST(FaultAnatomy, ARecordedFaultSplitsIntoItsThreeSpans) {
  for (const char* name : {"thp-fault", "thp-fault-wrapped"}) {
    SCOPED_TRACE(name);
    const Recorded r = recorded(name);
    const std::vector<TraceEvent> ev = events_of(r);
    const FaultAnatomy a = fault_anatomy(ev, 0, r.window);
    ASSERT_TRUE(a.formed()) << a.why;
    EXPECT_EQ(*a.alloc_ns, ev[1].time - ev[0].time);
    EXPECT_EQ(*a.zero_ns, ev[2].time - ev[1].time);
    EXPECT_EQ(*a.alloc_ns + *a.zero_ns + *a.map_ns, r.window.end_ns - ev[0].time);
    // Zeroing 2 MiB dominates the fault: the bar's 0.5..1.0 of it.
    const double fault = double(r.window.end_ns - r.window.start_ns);
    EXPECT_GT(double(*a.zero_ns), 0.5 * fault);
    EXPECT_LT(double(*a.zero_ns), 1.0 * fault);
  }
}

TEST(TraceRing, TheWrappedRecordingStraddlesTheRingsEnd) {
  const Recorded r = recorded("thp-fault-wrapped");
  EXPECT_GT(r.ring.tail % r.ring.data.size() + (r.ring.head - r.ring.tail), r.ring.data.size());
  EXPECT_EQ(events_of(r).size(), 4u);
}

// The fresh recording's bytes moved so they start at every 8-byte offset of
// a small ring: headers and bodies cut at the end, all read the same.
TEST(TraceRing, RecordsWrappingAtAnyOffsetReadTheSame) {
  const Recorded r = recorded("thp-fault");
  const std::size_t n = r.ring.head - r.ring.tail;
  const std::vector<TraceEvent> want = events_of(r);
  const std::size_t size = 512;
  ASSERT_LT(n, size);
  for (std::size_t start = 0; start < size; start += 8) {
    std::vector<std::byte> ring(size);
    for (std::size_t k = 0; k < n; ++k) ring[(start + k) % size] = r.ring.data[k];
    const std::uint64_t tail = 3 * size + start;  // positions count every byte ever written
    const RingParse p = parse_ring(ring, tail, tail + n);
    ASSERT_EQ(p.damage, "") << start;
    const std::vector<TraceEvent> got = decode_events(p, decoder());
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      EXPECT_EQ(got[k].time, want[k].time);
      EXPECT_EQ(got[k].kind, want[k].kind);
      EXPECT_EQ(got[k].order, want[k].order);
    }
  }
}

TEST(TraceRing, LostRecordsAreCountedAndSpoilTheSpans) {
  Recorded r = recorded("thp-fault");
  // PERF_RECORD_LOST after the fault's records: header, id, lost.
  struct {
    perf_event_header h;
    std::uint64_t id, lost;
  } lost{{PERF_RECORD_LOST, 0, 24}, 7, 3};
  std::memcpy(r.ring.data.data() + r.ring.head, &lost, sizeof lost);
  r.ring.head += sizeof lost;
  const RingParse p = parse_ring(r.ring.data, r.ring.tail, r.ring.head);
  EXPECT_EQ(p.damage, "");
  EXPECT_EQ(p.lost, 3u);
  const FaultAnatomy a = fault_anatomy(decode_events(p, decoder()), p.lost, r.window);
  EXPECT_FALSE(a.formed());
  EXPECT_EQ(a.why, "3 trace records lost (ring full)");
  EXPECT_FALSE(a.zero_ns.has_value());
}

TEST(TraceRing, DamagedRingsStopWithAReason) {
  const Recorded r = recorded("thp-fault");
  EXPECT_NE(parse_ring(r.ring.data, 0, r.ring.data.size() + 8).damage, "");
  EXPECT_NE(parse_ring(r.ring.data, 0, 4).damage, "");  // a part of a header
  std::vector<std::byte> bad = r.ring.data;
  bad[6] = std::byte{0xff};  // the first record's size, past the head
  bad[7] = std::byte{0x7f};
  EXPECT_NE(parse_ring(bad, 0, r.ring.head).damage, "");
  EXPECT_NE(parse_ring(std::span(r.ring.data).first(1000), 0, 16).damage, "");
}

TEST(FaultAnatomy, OtherThreadsAndRecordsOutsideTheWindowAreNotLookedAt) {
  const Recorded r = recorded("thp-fault");
  std::vector<TraceEvent> ev = events_of(r);
  std::vector<TraceEvent> other = ev;
  for (TraceEvent& e : other) e.tid += 1;
  EXPECT_EQ(fault_anatomy(other, 0, r.window).why, "no fault entry record in the fault");
  // Another thread's allocation between the folio and the page table:
  // the spans are this thread's.
  std::vector<TraceEvent> mixed = ev;
  TraceEvent intruder = ev[2];
  intruder.tid += 1;
  intruder.time = ev[1].time + 10;
  mixed.insert(mixed.begin() + 2, intruder);
  EXPECT_EQ(fault_anatomy(mixed, 0, r.window).zero_ns, ev[2].time - ev[1].time);
  FaultWindow later = r.window;
  later.start_ns = ev[0].time + 1;  // the entry falls before the window
  EXPECT_EQ(fault_anatomy(ev, 0, later).why, "no fault entry record in the fault");
}

TEST(FaultAnatomy, MissingRecordsGiveTheirReason) {
  const Recorded r = recorded("thp-fault");
  const std::vector<TraceEvent> ev = events_of(r);
  // Only the entry and the folio: nothing after the folio.
  EXPECT_EQ(fault_anatomy({ev[0], ev[1]}, 0, r.window).why,
            "no allocation or rss update after the folio's");
  // No page-table page: the rss update is the bracket.
  const FaultAnatomy rss = fault_anatomy({ev[0], ev[1], ev[3]}, 0, r.window);
  ASSERT_TRUE(rss.formed());
  EXPECT_EQ(*rss.zero_ns, ev[3].time - ev[1].time);
  // A folio of another order (an mTHP fault's folio when 2 MiB was asked).
  FaultWindow mthp = r.window;
  mthp.folio_order = 4;
  EXPECT_EQ(fault_anatomy(ev, 0, mthp).why, "no allocation of order 4 after the entry");
  EXPECT_EQ(fault_anatomy({}, 0, r.window).why, "no fault entry record in the fault");
}

TEST(Tracefs, FoundInTheMountTable) {
  EXPECT_EQ(tracefs_in_mounts("proc /proc proc rw 0 0\n"), std::nullopt);
  EXPECT_EQ(tracefs_in_mounts("tracefs /sys/kernel/tracing tracefs rw 0 0\n"),
            "/sys/kernel/tracing");
  EXPECT_EQ(tracefs_in_mounts("debugfs /sys/kernel/debug debugfs rw 0 0\n"),
            "/sys/kernel/debug/tracing");
  EXPECT_EQ(tracefs_in_mounts("debugfs /d debugfs rw 0 0\ntracefs /t tracefs rw 0 0\n"), "/t");
}

}  // namespace
}  // namespace zs
