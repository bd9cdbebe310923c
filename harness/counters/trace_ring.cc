#include "counters/trace_ring.h"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fmt/format.h>

namespace zs {

namespace {

// Bytes [pos, pos + n) of the ring, unwrapped.
void copy_out(std::span<const std::byte> data, std::uint64_t pos, std::size_t n, std::byte* out) {
  const std::size_t size = data.size();
  const std::size_t at = static_cast<std::size_t>(pos & (size - 1));
  const std::size_t first = std::min(n, size - at);
  std::memcpy(out, data.data() + at, first);
  if (first < n) std::memcpy(out + first, data.data(), n - first);
}

template <class T>
T load(const std::vector<std::byte>& rec, std::size_t at) {
  T v;
  std::memcpy(&v, rec.data() + at, sizeof v);
  return v;
}

}  // namespace

RingParse parse_ring(std::span<const std::byte> data, std::uint64_t tail, std::uint64_t head) {
  RingParse out;
  const std::size_t size = data.size();
  if (size == 0 || (size & (size - 1)) != 0) {
    out.damage = fmt::format("a data area of {} bytes, not a power of two", size);
    return out;
  }
  if (head < tail || head - tail > size) {
    out.damage = fmt::format("head {} and tail {} do not fit a ring of {} bytes", head, tail, size);
    return out;
  }
  std::vector<std::byte> rec;
  for (std::uint64_t pos = tail; pos < head;) {
    if (head - pos < sizeof(perf_event_header)) {
      out.damage = fmt::format("{} bytes at {} are too few for a record header", head - pos, pos);
      break;
    }
    perf_event_header h;
    copy_out(data, pos, sizeof h, reinterpret_cast<std::byte*>(&h));
    if (h.size < sizeof h || h.size > head - pos) {
      out.damage =
          fmt::format("a record of {} bytes at {} runs past the head {}", h.size, pos, head);
      break;
    }
    rec.resize(h.size);
    copy_out(data, pos, h.size, rec.data());
    pos += h.size;
    RingRecord r;
    r.type = h.type;
    std::size_t at = sizeof h;
    if (h.type == PERF_RECORD_SAMPLE) {
      // pid, tid (u32 each), time (u64), raw size (u32), raw bytes.
      if (h.size < at + 20) {
        out.damage = fmt::format("a sample of {} bytes is too short for tid and time", h.size);
        break;
      }
      r.pid = load<std::uint32_t>(rec, at);
      r.tid = load<std::uint32_t>(rec, at + 4);
      r.time = load<std::uint64_t>(rec, at + 8);
      const auto raw = load<std::uint32_t>(rec, at + 16);
      at += 20;
      if (raw > h.size - at) {
        out.damage = fmt::format("a sample's raw part of {} bytes runs past its record", raw);
        break;
      }
      r.raw.assign(rec.begin() + std::ptrdiff_t(at), rec.begin() + std::ptrdiff_t(at + raw));
    } else if (h.type == PERF_RECORD_LOST && h.size >= at + 16) {
      r.lost = load<std::uint64_t>(rec, at + 8);  // after the event id
      out.lost += r.lost;
    }
    out.records.push_back(std::move(r));
  }
  return out;
}

TraceRing::TraceRing(int fd, std::size_t data_pages) {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  bytes_ = (1 + data_pages) * page;
  void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    errno_ = errno;
    bytes_ = 0;
    return;
  }
  base_ = p;
}

TraceRing::~TraceRing() {
  if (base_ != nullptr) munmap(base_, bytes_);
}

TraceRing& TraceRing::operator=(TraceRing&& o) noexcept {
  if (this != &o) {
    this->~TraceRing();
    base_ = std::exchange(o.base_, nullptr);
    bytes_ = std::exchange(o.bytes_, 0);
    errno_ = o.errno_;
  }
  return *this;
}

RingSnapshot TraceRing::take() {
  RingSnapshot s;
  if (base_ == nullptr) return s;
  auto* meta = static_cast<perf_event_mmap_page*>(base_);
  // The kernel publishes data_head after the records it covers (acquire);
  // data_tail tells it the bytes are free again (release).
  s.head = std::atomic_ref<__u64>(meta->data_head).load(std::memory_order_acquire);
  s.tail = meta->data_tail;
  const auto* data = static_cast<const std::byte*>(base_) + meta->data_offset;
  s.data.assign(data, data + meta->data_size);
  std::atomic_ref<__u64>(meta->data_tail).store(s.head, std::memory_order_release);
  return s;
}

void TraceRing::drop() {
  if (base_ == nullptr) return;
  auto* meta = static_cast<perf_event_mmap_page*>(base_);
  const std::uint64_t head =
      std::atomic_ref<__u64>(meta->data_head).load(std::memory_order_acquire);
  std::atomic_ref<__u64>(meta->data_tail).store(head, std::memory_order_release);
}

}  // namespace zs
