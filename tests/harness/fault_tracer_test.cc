// The fault tracer on this machine: tracepoints opened on the thread (tracefs
// mounted for the moment and gone again), a real 2 MiB THP fault split into
// its spans, and the tracing's cost measured on a pool. Skips, with the
// reason, where tracing is not possible (no root, no tracefs, no THP).
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <time.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "machine/tracefs.h"
#include "measure/fault_tracer.h"
#include "measure/tracing_cost.h"
#include "memory/folio_pool.h"
#include "results/samples_schema.h"
#include "support/run_binary.h"
#include "support/test_dir.h"

namespace zs {
namespace {

std::string mounts() {
  std::ifstream in("/proc/self/mounts");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::uint64_t now_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return std::uint64_t(t.tv_sec) * 1000000000ull + std::uint64_t(t.tv_nsec);
}

TEST(FaultTracer, MountsTracefsOnlyWhileReadingAndLeavesNothingBehind) {
  const std::string before = mounts();
  {
    TracefsMount fs;
    if (!fs.ok()) GTEST_SKIP() << "tracefs: " << fs.why();
    EXPECT_TRUE(fs.read("kmem/mm_page_alloc/format").has_value());
    if (fs.mounted_here()) {
      EXPECT_NE(mounts().find(fs.root()), std::string::npos);
      // A stop request waits until the mount is gone.
      sigset_t now;
      sigprocmask(SIG_BLOCK, nullptr, &now);
      EXPECT_TRUE(sigismember(&now, SIGINT));
    }
  }
  EXPECT_EQ(mounts(), before);
  FaultTracer t;
  EXPECT_EQ(mounts(), before);
  sigset_t after;
  sigprocmask(SIG_BLOCK, nullptr, &after);
  EXPECT_FALSE(sigismember(&after, SIGINT));
}

TEST(FaultTracer, ARealThpFaultSplitsIntoItsSpans) {
  FaultTracer t;
  if (!t.available()) GTEST_SKIP() << "no tracing here: " << t.why();
  const std::size_t huge = 2u << 20;
  void* raw = mmap(nullptr, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(raw, MAP_FAILED);
  auto* folio = reinterpret_cast<unsigned char*>(
      (reinterpret_cast<std::uintptr_t>(raw) + huge - 1) & ~std::uintptr_t(huge - 1));
  if (madvise(folio, huge, MADV_HUGEPAGE) != 0) GTEST_SKIP() << "no THP here";
  int formed = 0;
  for (int k = 0; k < 5; ++k) {
    madvise(folio, huge, MADV_DONTNEED);
    t.enable();
    const std::uint64_t t0 = now_ns();
    *reinterpret_cast<volatile unsigned char*>(folio) = 1;
    const std::uint64_t t1 = now_ns();
    t.disable();
    const FaultAnatomy a = t.collect({std::uint32_t(t.tid()), t0, t1, 9});
    if (!a.formed()) {
      // THP may fall back to base pages on a fragmented machine: said, not a failure.
      EXPECT_EQ(a.why, "no allocation of order 9 after the entry");
      continue;
    }
    ++formed;
    EXPECT_EQ(*a.alloc_ns + *a.zero_ns + *a.map_ns <= t1 - t0, true);
    EXPECT_GT(*a.zero_ns, *a.alloc_ns);  // zeroing 2 MiB outweighs taking it
  }
  munmap(raw, 2 * huge);
  if (formed == 0) GTEST_SKIP() << "no fault got a 2 MiB THP here";
}

TEST(FaultTracer, TracingCostIsMeasuredOnAPool) {
  FaultTracer t;
  if (!t.available()) GTEST_SKIP() << "no tracing here: " << t.why();
  FolioPool pool(Backing::thp, 2u << 20, 4, PoolOptions{});
  const auto c = measure_tracing_cost(pool, t, 5);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->faults, 5u);
  EXPECT_GT(c->traced_median_ns, 0);
  EXPECT_GT(c->untraced_median_ns, 0);
  EXPECT_NEAR(c->ratio, c->traced_median_ns / c->untraced_median_ns, 1e-9);
  EXPECT_EQ(to_json(*c)["faults_each"], 5);
  TracingCost high = *c;
  high.ratio = 1.2;
  EXPECT_NE(tracing_cost_warning(high).find("20.0% slower"), std::string::npos);
  high.ratio = 1.01;
  EXPECT_EQ(tracing_cost_warning(high), "");
  // hugetlb and base pages are not traced: no cost to measure.
  EXPECT_NE(FaultTracer::untraceable(Backing::hugetlb), "");
  EXPECT_EQ(FaultTracer::untraceable(Backing::thp), "");
}

// The bar of the fault anatomy, end to end: a run of 2 MiB THP kernel
// faults carries fault_zero_ns on at least 80% of its fault rows, with a
// median between 0.5 and 1.0 of the fault's; meta.json says how.
TEST(FaultTracer, ARunCarriesTheSpansAndMetaSaysHow) {
  {
    FaultTracer t;
    if (!t.available()) GTEST_SKIP() << "no tracing here: " << t.why();
  }
  const std::string out = (test::fresh_test_dir("zs_anatomy_") / "run").string();
  const auto r = testing::run_zeroscope(std::string("run --out ") + out + " " + ZS_SOURCE_DIR +
                                        "/tests/fixtures/results/fault-anatomy.toml");
  if (r.rc != 0 && r.err.find("THP") != std::string::npos) GTEST_SKIP() << r.err;
  ASSERT_EQ(r.rc, 0) << r.err;
  std::ifstream in(out + "/meta.json");
  const nlohmann::json meta = nlohmann::json::parse(in);
  const nlohmann::json& fa = meta["fault_anatomy"];
  EXPECT_TRUE(fa["available"].get<bool>());
  EXPECT_EQ(fa["tracepoints"][0]["name"], "exceptions:page_fault_user");
  EXPECT_TRUE(fa["tracing_cost"]["ratio"].is_number());
  EXPECT_EQ(fa["samples"]["fault_rows"], 20);
  const SamplesFile f = read_samples(out + "/samples.csv");
  std::vector<double> fault, zero;
  for (const SampleRow& row : f.rows) {
    if (row.phase != "fault") {
      EXPECT_FALSE(row.fault_zero_ns.has_value());
      continue;
    }
    fault.push_back(double(row.ns));
    if (row.fault_zero_ns) zero.push_back(double(*row.fault_zero_ns));
  }
  ASSERT_EQ(fault.size(), 20u);
  EXPECT_GE(zero.size(), 16u);
  std::sort(fault.begin(), fault.end());
  std::sort(zero.begin(), zero.end());
  const double share = zero[zero.size() / 2] / fault[fault.size() / 2];
  EXPECT_GT(share, 0.5);
  EXPECT_LT(share, 1.0);
}

}  // namespace
}  // namespace zs
