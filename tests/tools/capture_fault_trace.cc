// Records the fixtures of tests/fixtures/trace/: the tracepoint format
// files of this kernel, and the trace ring buffer's bytes around real 2 MiB
// THP faults (one read from a fresh ring, one whose records wrap around the
// ring's end), each with the fault's window. Run as root on a machine with
// THP (enabled or madvise):  capture_fault_trace OUT_DIR
#include <sys/mman.h>
#include <time.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "machine/tracefs.h"
#include "measure/fault_tracer.h"

namespace {

std::uint64_t now_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return std::uint64_t(t.tv_sec) * 1000000000ull + std::uint64_t(t.tv_nsec);
}

void save(const std::string& dir, const std::string& name, const zs::RingSnapshot& s,
          const zs::FaultWindow& w) {
  std::ofstream(dir + "/" + name + ".ring", std::ios::binary)
      .write(reinterpret_cast<const char*>(s.data.data()), std::streamsize(s.data.size()));
  std::ofstream(dir + "/" + name + ".txt")
      << fmt::format("tail {}\nhead {}\ntid {}\nstart_ns {}\nend_ns {}\nfolio_order {}\n", s.tail,
                     s.head, w.tid, w.start_ns, w.end_ns, w.folio_order);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: capture_fault_trace OUT_DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  {
    zs::TracefsMount fs;
    if (!fs.ok()) {
      std::fprintf(stderr, "tracefs: %s\n", fs.why().c_str());
      return 1;
    }
    for (const char* tp : {"exceptions/page_fault_user", "kmem/mm_page_alloc", "kmem/rss_stat"}) {
      std::string name = tp;
      name = name.substr(name.find('/') + 1);
      std::ofstream(dir + "/" + name + ".format") << fs.read(std::string(tp) + "/format").value();
    }
  }
  zs::FaultTracer tracer;
  if (!tracer.available()) {
    std::fprintf(stderr, "tracer: %s\n", tracer.why().c_str());
    return 1;
  }
  const std::size_t huge = 2u << 20;
  auto* raw = static_cast<unsigned char*>(
      mmap(nullptr, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  auto* folio = reinterpret_cast<unsigned char*>(
      (reinterpret_cast<std::uintptr_t>(raw) + huge - 1) & ~(huge - 1));
  madvise(folio, huge, MADV_HUGEPAGE);
  bool fresh = true, wrapped = false;
  for (int k = 0; k < 10000 && !wrapped; ++k) {
    madvise(folio, huge, MADV_DONTNEED);
    tracer.enable(true);  // with rss_stat: the fixtures hold all three tracepoints
    const std::uint64_t t0 = now_ns();
    *reinterpret_cast<volatile unsigned char*>(folio) = 1;
    const std::uint64_t t1 = now_ns();
    tracer.disable();
    const zs::RingSnapshot s = tracer.take();
    const zs::FaultWindow w{std::uint32_t(tracer.tid()), t0, t1, 9};
    const std::uint64_t size = s.data.size();
    if (fresh) {
      save(dir, "thp-fault", s, w);
      fresh = false;
    } else if (s.tail % size + (s.head - s.tail) > size) {
      save(dir, "thp-fault-wrapped", s, w);
      wrapped = true;
    }
  }
  return wrapped ? 0 : 1;
}
