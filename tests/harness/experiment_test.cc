// One sample at a time, as `measure` and `run` take them: the phases are
// measured, the backing is verified, the kernel's own fault path yields
// verified huge folios.
#include <gtest/gtest.h>

#include "common/errors.h"
#include "measure/experiment.h"

namespace zs {
namespace {

Point thp_point(const char* strategy, const char* target = "middle") {
  Point p;
  p.backing = Backing::thp;
  p.folio_bytes = 2u << 20;
  p.strategy = strategy;
  p.target = *TargetSpec::parse(target);
  p.access = AccessSpec{AccessPattern::page, AccessOp::write, 64};
  return p;
}

class Experiment : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = backing_unusable(Backing::thp, 2u << 20, {})) GTEST_SKIP() << *why;
    pool_.emplace(Backing::thp, 2u << 20, 4, PoolOptions{});
  }
  std::optional<FolioPool> pool_;
};

TEST_F(Experiment, UserSpaceStrategiesMeasureZeroAndAccessPhases) {
  for (const char* s : {"sequential", "left-right", "three-region", "extent", "upstream"}) {
    PointRunner r(thp_point(s), *pool_, 1);
    for (std::uint32_t rep = 0; rep < 3; ++rep) {
      Sample smp = r.run(rep);
      ASSERT_TRUE(smp.zero) << s;
      ASSERT_TRUE(smp.access) << s;
      EXPECT_FALSE(smp.fault);
      EXPECT_GT(smp.zero->ns, 0u) << s;
      EXPECT_EQ(smp.target_page, 256u);
      EXPECT_TRUE(smp.backing.verified && smp.backing.huge) << smp.backing.detail;
    }
  }
}

TEST_F(Experiment, KernelFaultYieldsVerifiedHugeFoliosAndAFaultTime) {
  PointRunner r(thp_point("kernel-fault", "first"), *pool_, 1);
  for (std::uint32_t rep = 0; rep < 8; ++rep) {
    Sample s = r.run(rep);
    ASSERT_TRUE(s.fault);
    EXPECT_FALSE(s.zero);
    EXPECT_GT(s.fault->ns, 0u);
    EXPECT_TRUE(s.backing.verified) << s.backing.detail;
    EXPECT_TRUE(s.backing.huge) << s.backing.detail;
    // The page was touched after the kernel zeroed it: the access wrote it.
    const auto* b = reinterpret_cast<const unsigned char*>(pool_->folio((rep + 1) % 4));
    EXPECT_NE(b[0], 0);
  }
}

TEST_F(Experiment, RandomTargetsMoveAndStayInTheFolio) {
  PointRunner r(thp_point("left-right", "random"), *pool_, 5);
  std::set<std::uint64_t> pages;
  for (std::uint32_t rep = 0; rep < 20; ++rep) pages.insert(r.run(rep).target_page);
  EXPECT_GT(pages.size(), 10u);
  for (auto p : pages) EXPECT_LT(p, 512u);
}

TEST_F(Experiment, BadPointsAreRefusedBeforeMeasuring) {
  EXPECT_THROW(PointRunner(thp_point("zigzag"), *pool_, 1), SetupError);
  Point p = thp_point("extent");
  p.primitive = "stosw";
  EXPECT_THROW(PointRunner(p, *pool_, 1), SetupError);
  EXPECT_THROW(PointRunner(thp_point("extent", "512"), *pool_, 1), SetupError);
  p = thp_point("extent");
  p.folio_bytes = 4u << 20;
  EXPECT_THROW(PointRunner(p, *pool_, 1), SetupError);
}

TEST(ExperimentBase, BaseBackingSamplesAreFlaggedNotHuge) {
  FolioPool pool(Backing::base, 2u << 20, 2, {});
  Point p = thp_point("kernel-fault");
  p.backing = Backing::base;
  PointRunner r(p, pool, 1);
  Sample s = r.run(0);
  ASSERT_TRUE(s.fault);
  if (s.backing.verified) {
    EXPECT_FALSE(s.backing.huge) << s.backing.detail;
  }
}

}  // namespace
}  // namespace zs
