#include "measure/fault_tracer.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <bit>
#include <ctime>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "common/errors.h"
#include "machine/tracefs.h"

namespace zs {

namespace {

// 64 KiB of records: a fault writes three or four of about 60 bytes.
constexpr std::size_t kRingPages = 16;

int perf_paranoid() {
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  int v = 2;
  in >> v;
  return v;
}

}  // namespace

std::uint32_t folio_order(std::uint64_t folio_bytes, std::uint64_t page_bytes) {
  return page_bytes == 0 ? 0 : std::uint32_t(std::countr_zero(folio_bytes / page_bytes));
}

std::string FaultTracer::untraceable(Backing b) {
  switch (b) {
    case Backing::hugetlb:
      // Read from a 6.18 hugetlb fault with every kmem, memcg, mmap_lock,
      // hugetlbfs, huge_memory, filemap and pagemap tracepoint on: the entry,
      // an mmap_lock trylock around the anon_vma's preparation (a VMA's first
      // fault only), then nothing until the fault's own memcg accounting at
      // its very end. The pool's folio is not allocated by the page allocator
      // and its page table exists before it.
      return "hugetlb folio from the reserved pool: no tracepoint lies between its allocation, "
             "its zeroing and its mapping (no page allocation, the page table exists before it)";
    case Backing::base:
      return "base page: the folio's allocation and the page table's have the same order";
    default:
      return "";
  }
}

FaultTracer::FaultTracer() : tid_(gettid()) {
  struct Want {
    const char* name;
    const char* role;
    bool optional;
  };
  static constexpr Want kWant[] = {
      {"exceptions/page_fault_user", "fault entry", false},
      {"kmem/mm_page_alloc", "the folio (its order), then the page-table page", false},
      {"kmem/rss_stat",
       "the mapping's rss update: the bracket after an mTHP folio's zeroing (its page table is "
       "allocated before it); enabled for mTHP faults only, a record fewer for the others",
       true}};
  std::vector<std::optional<TracepointFormat>> formats;
  {
    TracefsMount fs;  // mounted only while the ids and formats are read
    mount_ = fs.how();
    if (!fs.ok()) {
      why_ = fs.why();
      return;
    }
    for (const Want& w : kWant) {
      const auto id = fs.read(fmt::format("{}/id", w.name));
      const auto text = fs.read(fmt::format("{}/format", w.name));
      if (!id || !text) {
        if (!w.optional) {
          why_ = fmt::format("this kernel has no tracepoint {}", w.name);
          return;
        }
        formats.emplace_back();
        continue;
      }
      try {
        TracepointFormat f = parse_tracepoint_format(*text, w.name);
        f.id = static_cast<std::uint32_t>(std::stoul(*id));
        formats.push_back(std::move(f));
      } catch (const std::exception& e) {
        why_ = e.what();
        return;
      }
    }
  }
  try {
    decoder_ = make_trace_decoder(*formats[0], *formats[1], formats[2] ? &*formats[2] : nullptr);
  } catch (const SetupError& e) {
    why_ = e.what();
    return;
  }
  for (std::size_t i = 0; i < formats.size(); ++i) {
    if (!formats[i]) continue;
    perf_event_attr a{};
    a.type = PERF_TYPE_TRACEPOINT;
    a.config = formats[i]->id;
    a.sample_period = 1;
    a.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW;
    // The group follows its leader; rss_stat stands alone (enabled only for
    // mTHP faults) and writes to the leader's ring.
    const bool alone = i == 2;
    a.disabled = fds_.empty() || alone ? 1 : 0;
    a.use_clockid = 1;
    a.clockid = CLOCK_MONOTONIC;
    const int group = fds_.empty() || alone ? -1 : fds_.front().fd();
    PerfEventFd fd(a, 0, -1, group);
    if (!fd.valid()) {
      why_ = fmt::format("tracepoint {}: {}", kWant[i].name,
                         perf_open_error(fd.error(), a, perf_paranoid()));
      fds_.clear();
      return;
    }
    if (fds_.empty()) {
      ring_ = TraceRing(fd.fd(), kRingPages);
      if (!ring_.valid()) {
        why_ = fmt::format("cannot map the trace ring buffer: {}", std::strerror(ring_.error()));
        return;
      }
    } else if (ioctl(fd.fd(), PERF_EVENT_IOC_SET_OUTPUT, fds_.front().fd()) != 0) {
      why_ = fmt::format("tracepoint {}: cannot share the ring buffer: {}", kWant[i].name,
                         std::strerror(errno));
      fds_.clear();
      return;
    }
    if (alone)
      rss_ = std::move(fd);
    else
      fds_.push_back(std::move(fd));
    std::string name = kWant[i].name;
    name[name.find('/')] = ':';
    used_.push_back({name, formats[i]->id, kWant[i].role});
  }
}

FaultTracer::~FaultTracer() = default;

void FaultTracer::enable(bool rss_bracket) {
  if (!available()) return;
  ring_.drop();
  rss_on_ = rss_bracket && rss_.valid();
  if (rss_on_) ioctl(rss_.fd(), PERF_EVENT_IOC_ENABLE, 0);
  ioctl(fds_.front().fd(), PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
}

void FaultTracer::disable() {
  if (!available()) return;
  ioctl(fds_.front().fd(), PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
  if (rss_on_) ioctl(rss_.fd(), PERF_EVENT_IOC_DISABLE, 0);
  rss_on_ = false;
}

FaultAnatomy FaultTracer::collect(const FaultWindow& w) {
  if (!available()) return unformed(why_);
  const RingSnapshot s = ring_.take();
  const RingParse p = parse_ring(s.data, s.tail, s.head);
  if (!p.damage.empty()) return unformed("trace ring damaged: " + p.damage);
  return fault_anatomy(decode_events(p, decoder_), p.lost, w);
}

nlohmann::json FaultTracer::to_json() const {
  nlohmann::json tps = nlohmann::json::array();
  for (const TracepointUse& u : used_)
    tps.push_back({{"name", u.name}, {"id", u.id}, {"role", u.role}});
  nlohmann::json j = {{"available", available()}, {"tracefs", mount_}, {"tracepoints", tps}};
  if (!available()) j["why"] = why_;
  j["clock"] = "CLOCK_MONOTONIC (perf use_clockid), as the phase's clock reads";
  j["columns"] = {
      {"fault_alloc_ns", "fault entry to the folio's allocation"},
      {"fault_zero_ns",
       "the folio's allocation to the next allocation on the thread (the page-table page), or "
       "the rss update where none follows: zeroing plus the memcg charge, an upper bound of the "
       "zeroing"},
      {"fault_map_ns", "the rest, to the fault's return (the phase's end clock read)"}};
  return j;
}

}  // namespace zs
