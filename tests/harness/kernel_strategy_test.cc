// strategy = "kernel": resolved per point through a pinned kernel table
// (tests/support/kernel_table.h), merged with points written explicitly,
// refused with the reason and the fix where the table has no replica.
#include "sweep/kernel_strategy.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "common/errors.h"
#include "memory/folio_pool.h"
#include "support/kernel_table.h"
#include "support/test_dir.h"
#include "sweep/sweep_config.h"

namespace zs {
namespace {

std::optional<std::string> unsupported() {
  if (sysconf(_SC_PAGESIZE) != 4096) return "base pages are not 4 KiB here";
  if (auto why = backing_unusable(Backing::thp, 2u << 20, PoolOptions{}))
    return "2 MiB THP is not usable here: " + *why;
  return std::nullopt;
}

std::string write(const std::string& text) {
  const auto path = test::fresh_test_dir("zs_kstrat_") / "sweep.toml";
  std::ofstream(path) << text;
  return path.string();
}

const char* kSweep = R"([axes]
backing = ["thp"]
strategy = ["kernel", "three-region", "kernel-fault"]
target = ["first"]
)";

TEST(KernelStrategy, ResolvesToTheRealNameWidthAndBatch) {
  if (auto why = unsupported()) GTEST_SKIP() << *why;
  test::KernelTableForTest pinned(test::dev_vm_kernel("7.0.0-rc3"));
  SweepConfig c = load_sweep_config(write(kSweep));
  auto points = expand_sweep(c);
  ASSERT_EQ(points.size(), 3u);  // kernel -> three-region b8192, three-region b0, kernel-fault
  EXPECT_EQ(point_key(points[0]),
            "thp/2097152/three-region/kernel/first/page:write/cold:pool/b8192/w2");
  EXPECT_EQ(point_key(points[1]),
            "thp/2097152/three-region/kernel/first/page:write/cold:pool/b0/w2");
  for (const Point& p : points) EXPECT_NE(p.strategy.name(), "kernel");
  const auto meta = kernel_strategy_json(c, points);
  ASSERT_EQ(meta.size(), 1u);
  EXPECT_EQ(meta[0]["backing"], "thp");
  EXPECT_EQ(meta[0]["strategy"], "three-region");
  EXPECT_EQ(meta[0]["batch"], 8192);
}

TEST(KernelStrategy, MergesWithTheSameStrategyWrittenOut) {
  if (auto why = unsupported()) GTEST_SKIP() << *why;
  test::KernelTableForTest pinned;  // 6.18: left-right
  SweepConfig c = load_sweep_config(write(R"([axes]
strategy = ["left-right", "kernel"]
target = ["first", "last"]
)"));
  auto points = expand_sweep(c);
  ASSERT_EQ(points.size(), 2u);
  for (const Point& p : points) EXPECT_EQ(p.strategy.name(), "left-right");
  EXPECT_EQ(kernel_strategy_json(c, points)[0]["strategy"], "left-right");
}

TEST(KernelStrategy, NotUsedGivesAnEmptyRecord) {
  if (auto why = unsupported()) GTEST_SKIP() << *why;
  test::KernelTableForTest pinned;
  SweepConfig c = load_sweep_config(write("[axes]\nstrategy = [\"extent\"]\n"));
  EXPECT_EQ(kernel_strategy_json(c, expand_sweep(c)), nlohmann::json::array());
}

TEST(KernelStrategy, UncoveredKernelIsRefusedWithTheReasonAndTheFix) {
  if (auto why = unsupported()) GTEST_SKIP() << *why;
  KernelPathInputs in = test::dev_vm_kernel("7.1.0");
  in.preemption.reset();
  in.preemption_source = "nothing says which";
  test::KernelTableForTest pinned(in);
  const std::string path = write(kSweep);
  try {
    load_sweep_config(path);
    FAIL() << "loaded";
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()),
              path +
                  ":3: axes.strategy: 'kernel' has no replica for thp 2 MiB here: release 7.1 "
                  ">= 7.0 clears in batches that depend on the preemption model, which is unknown "
                  "(nothing says which); name a strategy instead (see `zeroscope strategies`)");
  }
}

TEST(KernelStrategy, FromFlagsTheProblemIsAboutTheOption) {
  if (auto why = unsupported()) GTEST_SKIP() << *why;
  test::KernelTableForTest pinned;
  SweepConfig c;
  c.backing = {{Backing::base, 1, "base"}};
  c.folio_size = {{2u << 20, 0, "2MB"}};
  c.strategy = {{"kernel", 1, "kernel"}};
  c.primitive = {{"kernel", 0, "kernel"}};
  c.target = {{TargetSpec{}, 0, "first"}};
  c.access = {{AccessSpec{}, 0, "page"}};
  c.cache = {{CacheSpec{}, 0, "cold"}};
  c.batch = {{0, 0, "0"}};
  c.width = {{2, 0, "2"}};
  try {
    expand_sweep(c);
    FAIL() << "expanded";
  } catch (const SetupError& e) {
    EXPECT_EQ(e.about, Option::strategy);
    EXPECT_NE(std::string(e.what()).find("base pages are not zeroed"), std::string::npos);
  }
}

}  // namespace
}  // namespace zs
