// Which points compare sets against each other: the memory axis is matched
// like every other axis, and ignored only when asked (a host-reported run
// against a recycled one).
#include "report/compare_match.h"

#include <gtest/gtest.h>

#include "common/errors.h"

namespace zs {
namespace {

PointInfo point(const std::string& memory) {
  PointInfo p;
  p.backing = "thp";
  p.folio_size = 2 << 20;
  p.strategy = "kernel-fault";
  p.target = "first";
  p.access = "page";
  p.op = "write";
  p.cache = "cold";
  p.memory = memory;
  p.key = "thp/2097152/kernel-fault/-/first/page:write/cold:pool/b-/w-" +
          std::string(memory == "recycled" ? "" : "/" + memory);
  return p;
}

TEST(CompareMatch, MemoryMatchesOnlyTheSameMemoryUnlessIgnored) {
  ResultsData recycled;
  recycled.points = {point("recycled")};
  const PointInfo host = point("host-reported");
  EXPECT_TRUE(PointMatcher(recycled, {}).matches(host).empty());
  EXPECT_TRUE(PointMatcher(recycled, {"strategy"}).matches(host).empty());
  const auto m = PointMatcher(recycled, {"memory"}).matches(host);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0]->key, recycled.points[0].key);
  // Both memories in one directory become one point under --ignore memory.
  ResultsData both;
  both.dir = "both";
  both.points = {point("recycled"), point("host-reported")};
  EXPECT_THROW(PointMatcher(both, {"memory"}), SetupError);
  EXPECT_NO_THROW(check_ignored_axes({"memory", "strategy"}));
  EXPECT_THROW(check_ignored_axes({"memroy"}), SetupError);
}

}  // namespace
}  // namespace zs
