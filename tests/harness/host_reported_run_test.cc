// A real sweep of THP 2 MiB kernel-fault on recycled and host-reported
// memory (report_wait 3 s, few repetitions) where free page reporting is
// active; skipped, with the reason, elsewhere. The host's refault of memory
// it discarded makes the fault several times slower (docs/host-reported.md).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "memory/folio_pool.h"
#include "report/fidelity.h"
#include "report/host_reported_text.h"
#include "results/results_data.h"
#include "support/run_binary.h"
#include "support/test_dir.h"
#include "sweep/memory_axis.h"

namespace zs {
namespace {

TEST(HostReportedRun, TheFaultOnHostReportedMemoryCostsMore) {
  if (auto why = reporting_problem(machine_reporting())) GTEST_SKIP() << *why;
  if (auto why = backing_unusable(Backing::thp, 2u << 20, PoolOptions{}))
    GTEST_SKIP() << "2 MiB THP is not usable here: " << *why;
  const auto dir = test::fresh_test_dir("host_reported_run");
  const std::string cfg = (dir / "hr.toml").string(), out = (dir / "res").string();
  std::ofstream(cfg) << "[settings]\nrepetitions = 4\nwarmup = 1\nreport_wait = \"3s\"\n"
                        "[axes]\nstrategy = [\"kernel-fault\"]\n"
                        "memory = [\"recycled\", \"host-reported\"]\n";
  const auto dry = testing::run_zeroscope("run --dry-run " + cfg);
  ASSERT_EQ(dry.rc, 0) << dry.err;
  // Five waits of 3 s, warm-up included.
  EXPECT_NE(dry.out.find("estimated 15 s at an assumed 10 GB/s (15 s of it waiting for free page "
                         "reporting)"),
            std::string::npos)
      << dry.out;
  const auto r = testing::run_zeroscope("run " + cfg + " --out " + out);
  ASSERT_EQ(r.rc, 0) << r.err;
  const ResultsData d = load_results(out);
  EXPECT_EQ(d.meta["memory"]["report_wait_s"], 3.0);
  EXPECT_EQ(d.meta["memory"]["free_page_reporting"]["active"], true);
  const auto s = host_reported_section(d, replica_fidelity(d, 1), 1);
  ASSERT_EQ(s.rows.size(), 1u);
  ASSERT_TRUE(s.rows[0].ratio);
  // The development VM's host refaults 2 MiB in about 5 ms against about
  // 0.25 ms for recycled memory; twice is the bar.
  EXPECT_GE(s.rows[0].ratio->estimate, 2.0)
      << "recycled " << s.rows[0].recycled_median << " ns, host-reported " << s.rows[0].host_median
      << " ns";
  // Every kept host-reported fault recorded the touch of zeroscope's own
  // pages before it; the recycled faults none.
  ASSERT_TRUE(s.settle);
  const PhaseData* hf = d.phase(s.rows[0].host.key, "fault");
  const PhaseData* rf = d.phase(s.rows[0].recycled.key, "fault");
  ASSERT_NE(hf, nullptr);
  ASSERT_NE(rf, nullptr);
  EXPECT_EQ(s.settle->samples, hf->ns.size());
  EXPECT_EQ(hf->host_settle_ns.size(), hf->ns.size());
  EXPECT_TRUE(rf->host_settle_ns.empty());
  EXPECT_GT(s.settle->ns_median, 0);
}

}  // namespace
}  // namespace zs
