// The shootdown setting's sibling: its CPU is another allowed one, a
// single allowed CPU is refused in one line with the cause and the fix,
// and the sibling really runs pinned there until it is destroyed.
#include <gtest/gtest.h>
#include <sched.h>

#include "common/errors.h"
#include "measure/shootdown.h"

namespace zs {
namespace {

TEST(Shootdown, TheSiblingTakesAnotherAllowedCpu) {
  EXPECT_EQ(shootdown_cpu({0, 1}, 1).cpu, 0);
  EXPECT_EQ(shootdown_cpu({2, 5, 7}, 2).cpu, 5);
  EXPECT_EQ(sibling_cpu({3, 4}, 3), 4);
}

TEST(Shootdown, OneAllowedCpuIsRefusedWithCauseAndFix) {
  const ShootdownCpu c = shootdown_cpu({3}, 3);
  EXPECT_EQ(c.cpu, -1);
  EXPECT_EQ(c.why,
            "shootdown: only CPU 3 is allowed to this process (3), and a shootdown needs a sibling "
            "thread on a second CPU; allow another CPU (taskset, cgroup cpuset) or leave "
            "shootdown off");
  EXPECT_EQ(c.why.find('\n'), std::string::npos);
  EXPECT_THROW(sibling_cpu({3}, 3), SetupError);
  EXPECT_EQ(shootdown_cpu({}, 0).cpu, -1);
}

TEST(Shootdown, TheSiblingRunsOnItsCpuUntilDestroyed) {
  const std::vector<int> cpus = affinity_cpus();
  ASSERT_FALSE(cpus.empty());
  if (cpus.size() < 2) GTEST_SKIP() << "one CPU allowed here: no sibling to start";
  { ShootdownSibling s(cpus.back()); }  // returns once running; joins on destruction
  SUCCEED();
}

}  // namespace
}  // namespace zs
