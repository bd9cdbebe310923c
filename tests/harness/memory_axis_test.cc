// The memory axis: its values and keys (recycled keys exactly as before,
// "/host-reported" appended), exclude rules, the JSON record, report_wait,
// the refusal and the "?" skip where free page reporting is inactive (with
// a fake facts record), what a host-reported sample gives back, and the
// waits in the run's estimate.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/errors.h"
#include "measure/host_reported.h"
#include "memory/folio_pool.h"
#include "support/test_dir.h"
#include "sweep/memory_axis.h"
#include "sweep/sweep_config.h"
#include "sweep/sweep_runner.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

const FreePageReporting kActive{true, 9, "virtio-balloon with VIRTIO_BALLOON_F_REPORTING"};
const FreePageReporting kInactive{false, std::nullopt, "no virtio-balloon device bound"};

SweepConfig two_memories(const std::string& host_text = "host-reported") {
  SweepConfig c;
  c.path = "m.toml";
  c.backing = {{Backing::thp, 0, "thp"}};
  c.folio_size = {{2u << 20, 0, "2MB"}};
  c.strategy = {{"kernel-fault", 3, "kernel-fault"}, {"upstream", 3, "upstream"}};
  c.primitive = {{"kernel", 0, "kernel"}};
  c.target = {{TargetSpec{}, 0, "first"}};
  c.access = {{AccessSpec{}, 0, "page"}};
  c.cache = {{CacheSpec{}, 0, "cold"}};
  c.batch = {{0, 0, "0"}};
  c.width = {{kUpstreamWidth, 0, "2"}};
  c.memory = {{Memory::recycled, 4, "recycled"}, {Memory::host_reported, 4, host_text}};
  return c;
}

TEST(MemoryAxis, RecycledKeysAreUnchangedAndHostReportedAppendsItsName) {
  SweepConfig c = two_memories();
  c.memory.resize(1);
  const auto recycled = expand_sweep(c);
  ASSERT_EQ(recycled.size(), 2u);
  EXPECT_EQ(point_key(recycled[0]), "thp/2097152/kernel-fault/-/first/page:write/cold:pool/b-/w-");
  EXPECT_EQ(point_key(recycled[1]), "thp/2097152/upstream/kernel/first/page:write/cold:pool/b-/w-");
  const auto both = expand_sweep(two_memories());
  ASSERT_EQ(both.size(), 4u);
  EXPECT_EQ(point_key(both[0]), point_key(recycled[0]));
  EXPECT_EQ(point_key(both[1]), point_key(recycled[0]) + "/host-reported");
  EXPECT_EQ(both[1].memory, Memory::host_reported);
  EXPECT_EQ(point_to_json(both[0])["memory"], "recycled");
  EXPECT_EQ(point_to_json(both[1])["memory"], "host-reported");
  EXPECT_EQ(point_to_json(both[1])["key"], point_key(both[1]));
  // A config without the axis is the recycled one (what every older run was).
  EXPECT_EQ(SweepConfig{}.memory.size(), 1u);
  EXPECT_EQ(SweepConfig{}.memory[0].value, Memory::recycled);
}

TEST(MemoryAxis, ExcludeRulesMatchTheMemory) {
  SweepConfig c = two_memories();
  ExcludeRule r;
  r.line = 9;
  r.match = {{sweep_axes::kStrategy, {"upstream"}}, {sweep_axes::kMemory, {"host-reported"}}};
  c.exclude.push_back(r);
  const auto points = expand_sweep(c);
  ASSERT_EQ(points.size(), 3u);
  for (const Point& p : points)
    EXPECT_FALSE(p.strategy == "upstream" && p.memory == Memory::host_reported);
}

TEST(MemoryAxis, RefusedWhereReportingIsInactive) {
  SweepConfig c = two_memories();
  try {
    check_memory(c, kInactive);
    FAIL() << "host-reported accepted without free page reporting";
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()),
              "m.toml:4: axes.memory: 'host-reported': free page reporting is not active here "
              "(no virtio-balloon device bound): the host never discards this guest's free "
              "memory; run in a VM whose virtio-balloon device offers free page reporting, or "
              "write \"host-reported?\" to measure it only where reported");
  }
  // Active but of unknown order: the region to free cannot be sized.
  FreePageReporting no_order = kActive;
  no_order.order.reset();
  EXPECT_THROW(check_memory(c, no_order), SetupError);
  // Active: nothing to say.
  check_memory(c, kActive);
  EXPECT_TRUE(c.unavailable.empty());
  // From measure's flags (path ""): about the --memory option.
  SweepConfig flags = two_memories();
  flags.path.clear();
  try {
    check_memory(flags, kInactive);
    FAIL();
  } catch (const SetupError& e) {
    EXPECT_EQ(e.about, Option::memory);
  }
}

TEST(MemoryAxis, OptionalHostReportedIsLeftOutWithTheReason) {
  SweepConfig c = two_memories("host-reported?");
  check_memory(c, kInactive);
  ASSERT_EQ(c.unavailable.size(), 1u);
  EXPECT_EQ(c.unavailable[0].reason,
            "memory host-reported?: free page reporting is not active here (no virtio-balloon "
            "device bound)");
  const auto points = expand_sweep(c);
  ASSERT_EQ(points.size(), 2u);
  for (const Point& p : points) EXPECT_EQ(p.memory, Memory::recycled);
  // Where it is active, "?" measures it.
  SweepConfig here = two_memories("host-reported?");
  check_memory(here, kActive);
  EXPECT_EQ(expand_sweep(here).size(), 4u);
  // Only "host-reported?" and inactive: nothing left to measure.
  SweepConfig only = two_memories("host-reported?");
  only.memory.erase(only.memory.begin());
  EXPECT_THROW(check_memory(only, kInactive), SetupError);
}

TEST(MemoryAxis, HugetlbCannotBeReported) {
  SweepConfig c = two_memories();
  c.backing = {{Backing::hugetlb, 2, "hugetlb"}};
  try {
    check_memory_points(c, expand_sweep(c));
    FAIL();
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("m.toml:4: axes.memory: 'host-reported' with backing "
                                         "hugetlb"),
              std::string::npos)
        << e.what();
  }
}

TEST(MemoryAxis, EnoughFoliosForBlocksOfTheOrderAndThePerCpuLists) {
  const std::uint64_t mib = 1u << 20;
  // Order 9 of 4 KiB pages is 2 MiB: four 2 MiB folios make four blocks.
  EXPECT_EQ(folios_to_give_back(2 * mib, 4096, 9, 1000), 4u);
  // Order 11 (8 MiB blocks): sixteen 2 MiB folios, never a lone folio.
  EXPECT_EQ(folios_to_give_back(2 * mib, 4096, 11, 1000), 16u);
  // 64 KiB folios, order 9: 4 x 2 MiB of them.
  EXPECT_EQ(folios_to_give_back(64 << 10, 4096, 9, 1000), 128u);
  // Per-CPU lists of 2630 pages hold five 2 MiB folios: seven are given back,
  // so that re-populating six of them empties the lists.
  EXPECT_EQ(folios_to_give_back(2 * mib, 4096, 9, 1000, kReportBlocks, 2630), 7u);
  // Never more than the pool.
  EXPECT_EQ(folios_to_give_back(2 * mib, 4096, 11, 5), 5u);
  EXPECT_EQ(max_pcp_high("Node 0, zone   Normal\n  pagesets\n    cpu: 0\n              count: 3\n"
                         "              high:  2630\n              batch: 63\n    cpu: 1\n"
                         "              high:  4000\n  high     19000\n"),
            4000u);
  EXPECT_EQ(max_pcp_high(""), 0u);
}

TEST(MemoryAxis, TheEstimateIncludesEveryWaitWarmUpIncluded) {
  SweepConfig c = two_memories();
  c.settings.repetitions = 12;
  c.settings.warmup = 2;
  c.settings.report_wait_s = 3;
  SweepPlan with;
  with.config = c;
  with.points = expand_sweep(c);
  SweepPlan without = with;
  for (Point& p : without.points) p.memory = Memory::recycled;
  EXPECT_EQ(host_reported_wait_seconds(with.points, c.settings), 2 * 14 * 3.0);
  EXPECT_NEAR(with.estimate_seconds() - without.estimate_seconds(), 2 * 14 * 3.0, 1e-9);
}

TEST(MemoryAxis, MetaRecordsTheFactsAndTheWait) {
  SweepConfig c = two_memories();
  c.settings.report_wait_s = 5;
  const nlohmann::json m = memory_meta(expand_sweep(c), c.settings, kActive);
  EXPECT_EQ(m["host_reported_points"], 2);
  EXPECT_EQ(m["report_wait_s"], 5.0);
  EXPECT_EQ(m["free_page_reporting"]["active"], true);
  EXPECT_EQ(m["free_page_reporting"]["order"], 9);
}

// From a file: the axis, an exclude rule on it, report_wait and its bounds.
TEST(MemoryAxis, FromAFile) {
  if (auto why = backing_unusable(Backing::thp, 2u << 20, PoolOptions{}))
    GTEST_SKIP() << "2 MiB THP is not usable here: " << *why;
  const fs::path dir = test::fresh_test_dir("memory_axis");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const std::string good =
      write("good.toml",
            "[settings]\nreport_wait = \"5s\"\n[axes]\n"
            "strategy = [\"kernel-fault\", \"upstream\"]\n"
            "memory = [\"recycled\", \"host-reported?\"]\n"
            "[[exclude]]\nstrategy = \"upstream\"\nmemory = \"host-reported\"\n");
  const SweepConfig c = load_sweep_config(good);
  EXPECT_EQ(c.settings.report_wait_s, 5.0);
  const auto points = expand_sweep(c);
  const bool active = !reporting_problem(machine_reporting());
  EXPECT_EQ(points.size(), active ? 3u : 2u);
  EXPECT_EQ(c.unavailable.size(), active ? 0u : 1u);
  EXPECT_EQ(sweep_to_json(c, points)["axes"]["memory"].size(), 2u);

  auto message = [&](const std::string& name, const std::string& text) {
    try {
      load_sweep_config(write(name, text));
    } catch (const SetupError& e) {
      return std::string(e.what());
    }
    return std::string("(loaded)");
  };
  EXPECT_EQ(
      message("w0.toml", "[settings]\nreport_wait = \"0s\"\n[axes]\nstrategy = [\"extent\"]\n"),
      (dir / "w0.toml").string() +
          ":2: settings.report_wait: '0s': 0 is out of range; allowed: an integer in [1, "
          "3600] seconds");
  EXPECT_EQ(message("wx.toml",
                    "[settings]\nreport_wait = \"3 s\"\n[axes]\nstrategy = "
                    "[\"extent\"]\n"),
            (dir / "wx.toml").string() +
                ":2: settings.report_wait: '3 s' is not a duration; give a whole number of s, m "
                "or h, e.g. \"3s\"");
  EXPECT_EQ(message("mx.toml", "[axes]\nmemory = [\"reported\"]\n"),
            (dir / "mx.toml").string() +
                ":2: axes.memory: unknown 'reported'; allowed: "
                "recycled, host-reported (\"host-reported?\": only where reported)");
}

}  // namespace
}  // namespace zs
