// A perf_event ring buffer of sampled tracepoints: the mapping (an RAII
// owner of the metadata page and the data pages) and the pure parser of its
// bytes. Samples are opened with PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
// PERF_SAMPLE_RAW, so a sample record is: header, pid, tid, time, raw size,
// raw bytes. A record may wrap around the end of the data area; a full ring
// drops records and says so with a PERF_RECORD_LOST record.
#pragma once

#include <linux/perf_event.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace zs {

struct RingRecord {
  std::uint32_t type = 0;  // PERF_RECORD_SAMPLE, PERF_RECORD_LOST, ...
  std::uint32_t pid = 0, tid = 0;
  std::uint64_t time = 0;
  std::vector<std::byte> raw;  // the tracepoint's record (samples)
  std::uint64_t lost = 0;      // PERF_RECORD_LOST: records dropped
};

struct RingParse {
  std::vector<RingRecord> records;
  std::uint64_t lost = 0;  // the sum of the LOST records
  std::string damage;      // "" or why parsing stopped early (a record that cannot be)
};

// The unread bytes tail..head of a data area (a power of two in size,
// positions counting bytes ever written, so they wrap modulo its size).
RingParse parse_ring(std::span<const std::byte> data, std::uint64_t tail, std::uint64_t head);

// The data area's bytes and positions as read at one moment: what the
// parser takes, and what tests keep as recorded fixtures.
struct RingSnapshot {
  std::vector<std::byte> data;
  std::uint64_t tail = 0, head = 0;
};

class TraceRing {
 public:
  TraceRing() = default;
  // Maps 1 + data_pages pages of perf fd `fd`; data_pages a power of two.
  // Check valid() and error() (errno) afterwards.
  TraceRing(int fd, std::size_t data_pages);
  ~TraceRing();
  TraceRing(TraceRing&& o) noexcept { *this = std::move(o); }
  TraceRing& operator=(TraceRing&& o) noexcept;
  TraceRing(const TraceRing&) = delete;
  TraceRing& operator=(const TraceRing&) = delete;

  bool valid() const { return base_ != nullptr; }
  int error() const { return errno_; }
  // The bytes written since the last take(), then marked read.
  RingSnapshot take();
  // Marks everything read without copying it.
  void drop();

 private:
  void* base_ = nullptr;
  std::size_t bytes_ = 0;  // the whole mapping
  int errno_ = 0;
};

}  // namespace zs
