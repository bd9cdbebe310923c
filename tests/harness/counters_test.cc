// Counting without a PMU must still be right by construction: group reads
// parsed from recorded and synthetic buffers, the multiplex flag, the
// user-page seqlock read against a fake page, software events that really
// count, and hardware metrics that come out missing, never zero.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstring>
#include <vector>

#include "counters/counter_set.h"
#include "counters/counters.h"
#include "counters/events.h"
#include "counters/user_page_read.h"
#include "measure/phase_meter.h"

namespace zs {
namespace {

std::vector<std::byte> words(std::initializer_list<std::uint64_t> w) {
  std::vector<std::byte> b(w.size() * 8);
  std::size_t i = 0;
  for (std::uint64_t v : w) std::memcpy(b.data() + 8 * i++, &v, 8);
  return b;
}

TEST(GroupRead, ParsesValuesByIdAndTimes) {
  // {nr, time_enabled, time_running, {value, id}...} as read() returns it.
  auto g = parse_group_read(words({3, 1000, 1000, 11, 101, 22, 102, 33, 103}));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->time_enabled, 1000u);
  EXPECT_FALSE(g->multiplexed());
  EXPECT_FALSE(g->never_ran());
  ASSERT_EQ(g->values.size(), 3u);
  EXPECT_EQ(g->values[1], (std::pair<std::uint64_t, std::uint64_t>{102, 22}));
}

TEST(GroupRead, FlagsMultiplexedAndNeverRan) {
  auto g = parse_group_read(words({1, 1000, 600, 5, 7}));
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->multiplexed());
  g = parse_group_read(words({1, 1000, 0, 0, 7}));
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->never_ran());
  EXPECT_TRUE(g->multiplexed());
}

TEST(GroupRead, RejectsShortAndInconsistentBuffers) {
  EXPECT_FALSE(parse_group_read(words({})));
  EXPECT_FALSE(parse_group_read(words({2, 10, 10, 1, 1})));  // nr says 2, one pair
  EXPECT_FALSE(parse_group_read(words({1, 10, 20, 1, 1})));  // running > enabled
  std::vector<std::byte> odd(20);
  EXPECT_FALSE(parse_group_read(odd));
}

TEST(GroupRead, RecordedBufferFromAKernel) {
  // A read of {task-clock, page-faults} taken on a 6.x kernel: nr = 2,
  // enabled = running = 2120348 ns, task-clock 2119803 ns (id 1453),
  // page-faults 512 (id 1454).
  auto g = parse_group_read(words({2, 2120348, 2120348, 2119803, 1453, 512, 1454}));
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->multiplexed());
  EXPECT_EQ(g->values[1].second, 512u);
}

struct FakePage {
  perf_event_mmap_page page{};
};

TEST(UserPageRead, OffsetPlusSignExtendedCounter) {
  FakePage f;
  f.page.cap_user_rdpmc = 1;
  f.page.index = 3;
  f.page.pmc_width = 48;
  f.page.offset = -100;  // the kernel keeps offset = count - counter at schedule-in
  std::uint32_t asked = 0;
  auto c = read_user_page(&f.page, [&](std::uint32_t idx) -> std::optional<std::uint64_t> {
    asked = idx;
    return 1100;
  });
  ASSERT_TRUE(c);
  EXPECT_EQ(asked, 3u);
  EXPECT_EQ(c->count, 1000u);
  // A 48-bit counter with its top bit set is negative: sign-extended.
  c = read_user_page(
      &f.page, [](std::uint32_t) -> std::optional<std::uint64_t> { return (1ull << 47) | 5; });
  ASSERT_TRUE(c);
  EXPECT_EQ(static_cast<std::int64_t>(c->count),
            -100 + (static_cast<std::int64_t>(5) - (1ll << 47)));
}

TEST(UserPageRead, NotOnACounterOrNotAllowedFallsBack) {
  FakePage f;
  f.page.cap_user_rdpmc = 1;
  f.page.index = 0;
  EXPECT_FALSE(
      read_user_page(&f.page, [](std::uint32_t) -> std::optional<std::uint64_t> { return 1; }));
  f.page.index = 1;
  f.page.cap_user_rdpmc = 0;
  EXPECT_FALSE(
      read_user_page(&f.page, [](std::uint32_t) -> std::optional<std::uint64_t> { return 1; }));
}

TEST(UserPageRead, RetriesWhileTheKernelUpdatesThePage) {
  FakePage f;
  f.page.cap_user_rdpmc = 1;
  f.page.index = 1;
  f.page.pmc_width = 48;
  f.page.offset = 0;
  int calls = 0;
  auto c = read_user_page(&f.page, [&](std::uint32_t) -> std::optional<std::uint64_t> {
    // The first time, the kernel reschedules the event under us: the lock
    // moves and the offset changes; the reader must retry.
    if (calls++ == 0) {
      f.page.lock += 2;
      f.page.offset = 50;
      return 7;
    }
    return 10;
  });
  ASSERT_TRUE(c);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(c->count, 60u);
}

TEST(PmuAccess, ProbedNotAssumed) {
  PmuAccess a = probe_pmu_access();
  EXPECT_FALSE(a.hardware_why.empty());
  EXPECT_FALSE(a.kernel_why.empty());
  if (!a.hardware) {
    // The development VMs: the reason says what the kernel said.
    EXPECT_NE(a.hardware_why.find("PMU"), std::string::npos) << a.hardware_why;
  }
  RecordProperty("hardware_pmu", a.hardware ? "yes" : "no");
}

EventFile generic_events() { return load_event_file(events_dir() + "/generic.toml"); }

TEST(CounterSet, SoftwarePageFaultsCountA2MiBMemsetOfFresh4KiBPages) {
  PmuAccess access = probe_pmu_access();
  CounterSet set(generic_events(), access,
                 {{"page_faults", "task_clock", "context_switches"}, true});
  std::size_t col = SIZE_MAX;
  for (std::size_t i = 0; i < set.columns().size(); ++i)
    if (set.columns()[i].name == "page_faults") col = i;
  ASSERT_NE(col, SIZE_MAX) << "page_faults missing: "
                           << (set.missing().empty() ? "" : set.missing()[0].reason);
  const std::size_t bytes = 2u << 20;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(p, MAP_FAILED);
  madvise(p, bytes, MADV_NOHUGEPAGE);
  PhaseMeter meter(&set);
  meter.start();
  std::memset(p, 1, bytes);
  PhaseReading r = meter.stop();
  munmap(p, bytes);
  ASSERT_TRUE(r.counters.has(col));
  EXPECT_NEAR(double(r.counters.value[col]), 512.0, 8.0);
  EXPECT_FALSE(r.counters.multiplexed);
}

TEST(CounterSet, WithoutAPmuHardwareMetricsAreMissingNotZero) {
  PmuAccess access = probe_pmu_access();
  if (access.hardware) GTEST_SKIP() << "this machine has a hardware PMU: " << access.hardware_why;
  CounterSet set(generic_events(), access,
                 {{"cycles", "instructions", "llc_misses", "page_faults"}, true});
  for (const char* m : {"cycles", "instructions", "llc_misses"}) {
    bool is_missing = false;
    for (const MissingMetric& mm : set.missing())
      if (mm.column == m) {
        is_missing = true;
        EXPECT_FALSE(mm.reason.empty());
      }
    EXPECT_TRUE(is_missing) << m;
    for (const CounterColumn& c : set.columns())
      EXPECT_NE(c.name, m) << "a column that cannot be counted";
  }
  PhaseMeter meter(&set);
  meter.start();
  PhaseReading r = meter.stop();
  // Only the software column can be valid.
  for (std::size_t i = 0; i < set.columns().size(); ++i)
    if (r.counters.has(i)) {
      EXPECT_EQ(set.columns()[i].metric, "page_faults");
    }
}

TEST(CounterSet, UserAndKernelAreSeparateColumnsWhenTheKernelAllowsIt) {
  PmuAccess access = probe_pmu_access();
  CounterSet set(generic_events(), access, {{"page_faults", "task_clock"}, true});
  bool user = false, kernel = false, whole = false, split_whole = false;
  for (const CounterColumn& c : set.columns()) {
    user = user || c.name == "page_faults";
    kernel = kernel || c.name == "page_faults_kernel";
    whole = whole || c.name == "task_clock";
    split_whole = split_whole || c.name == "task_clock_kernel";
  }
  EXPECT_TRUE(user);
  EXPECT_EQ(kernel, access.kernel);
  // task_clock ignores the privilege bits: one column, never a split.
  EXPECT_EQ(whole, access.kernel);
  EXPECT_FALSE(split_whole);
}

TEST(CounterSet, UnknownMetricIsASetupError) {
  EXPECT_ANY_THROW(CounterSet(generic_events(), probe_pmu_access(), {{"llc_missses"}, true}));
}

TEST(MeterOverhead, IsMeasuredAndSmall) {
  PmuAccess access = probe_pmu_access();
  CounterSet set(generic_events(), access, {{"page_faults"}, true});
  PhaseMeter meter(&set);
  MeterOverhead o = measure_meter_overhead(meter, 101);
  EXPECT_GT(o.ns, 0.0);
  EXPECT_LT(o.phase_ns, o.ns + 1);  // the phase sees less than the whole start/stop
}

}  // namespace
}  // namespace zs
