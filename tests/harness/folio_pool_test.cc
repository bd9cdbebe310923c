// Real folios of every backing this machine offers, zeroed with every
// strategy and primitive: the folio ends up zero and the folios around it
// keep their canaries. Backings the machine cannot provide skip with why.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "common/errors.h"
#include "measure/executor.h"
#include "memory/folio_pool.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"

namespace zs {
namespace {

struct Case {
  Backing backing;
  std::uint64_t bytes;
};

std::string name_of(const Case& c) {
  return std::string(to_string(c.backing)) + "_" + std::to_string(c.bytes >> 10) + "k";
}
void PrintTo(const Case& c, std::ostream* os) { *os << name_of(c); }

// The first byte of [p, p + bytes) that is not `want`. memcmp against a
// filled block: the 1 GiB folios are checked some 30 times over, and a byte
// loop made this the slowest test of the suite by minutes.
std::optional<std::uint64_t> first_not(const void* p, std::uint64_t bytes, unsigned char want) {
  static constexpr std::size_t kBlock = 64 << 10;
  static unsigned char ref[kBlock];
  std::memset(ref, want, kBlock);
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::uint64_t off = 0; off < bytes; off += kBlock) {
    const std::size_t n = std::min<std::uint64_t>(kBlock, bytes - off);
    if (std::memcmp(b + off, ref, n) == 0) continue;
    for (std::size_t k = 0; k < n; ++k)
      if (b[off + k] != want) return off + k;
  }
  return std::nullopt;
}

class PoolZeroes : public ::testing::TestWithParam<Case> {};

TEST_P(PoolZeroes, EveryStrategyAndPrimitiveZeroesTheFolioAndNothingElse) {
  const Case c = GetParam();
  PoolOptions opt;
  opt.reserve_hugetlb = geteuid() == 0;
  opt.enable_mthp = geteuid() == 0;
  if (auto why = backing_unusable(c.backing, c.bytes, opt)) GTEST_SKIP() << *why;
  std::optional<FolioPool> pool;
  try {
    pool.emplace(c.backing, c.bytes, 3, opt);
  } catch (const SetupError& e) {
    GTEST_SKIP() << e.what();
  }
  if (c.backing != Backing::base) {
    EXPECT_EQ(pool->huge_count(), 3u) << pool->describe();
  }
  const std::size_t mid = 1;
  std::size_t runs = 0;
  for (const Primitive& prim : PrimitiveRegistry::get().all()) {
    if (!prim.available) continue;
    for (const Strategy& s : strategies()) {
      SCOPED_TRACE(std::string(s.name) + " / " + std::string(prim.name()));
      // The neighbours keep their canaries from the first fill as long as
      // every run passes; only the zeroed folio needs filling again.
      for (std::size_t i = runs == 0 ? 0 : mid; i < (runs == 0 ? 3 : mid + 1); ++i)
        std::memset(pool->folio(i), 0xa5, c.bytes);
      Plan plan = s.plan(
          {pool->nr_pages(), pool->nr_pages() / 3, 2, s.uses_batch ? 7u : 0u, pool->page_bytes()});
      if (plan.aliased()) continue;  // needs a memfd-backed folio
      ASSERT_EQ(check_executable(plan, prim, pool->folio(mid), c.bytes, pool->page_bytes()),
                std::nullopt);
      execute(plan, prim.fn(), pool->folio(mid), pool->page_bytes());
      for (std::size_t i = 0; i < 3; ++i) {
        const unsigned char want = i == mid && s.clears ? 0 : 0xa5;
        if (auto k = first_not(pool->folio(i), c.bytes, want))
          FAIL() << "folio " << i << " byte " << *k << " is "
                 << int(reinterpret_cast<const unsigned char*>(pool->folio(i))[*k]);
      }
      ++runs;
    }
  }
  EXPECT_GT(runs, 0u);
  // The pool's own verification is still what it was: zeroing does not
  // change the backing.
  if (c.backing != Backing::base) {
    EXPECT_EQ(pool->huge_count(), 3u);
  }
}

INSTANTIATE_TEST_SUITE_P(Backings, PoolZeroes,
                         ::testing::Values(Case{Backing::thp, 2u << 20},
                                           Case{Backing::mthp, 64u << 10},
                                           Case{Backing::hugetlb, 2u << 20},
                                           Case{Backing::hugetlb, 1u << 30},
                                           Case{Backing::base, 2u << 20}),
                         [](const auto& info) { return name_of(info.param); });

TEST(FolioPool, BaseBackingIsNeverHuge) {
  FolioPool pool(Backing::base, 2u << 20, 2, {});
  EXPECT_EQ(pool.huge_count(), 0u);
  for (std::size_t i = 0; i < 2; ++i)
    if (pool.check(i).verified) {
      EXPECT_FALSE(pool.check(i).huge) << pool.check(i).detail;
    }
}

TEST(FolioPool, RoundRobinVisitsEveryFolio) {
  FolioPool pool(Backing::base, 64u << 10, 5, {});
  std::vector<int> seen(5, 0);
  for (int i = 0; i < 50; ++i) ++seen[pool.next()];
  for (int s : seen) EXPECT_EQ(s, 10);
}

TEST(FolioPool, DiscardThenTouchFaultsAFreshZeroFolio) {
  PoolOptions opt;
  if (auto why = backing_unusable(Backing::thp, 2u << 20, opt)) GTEST_SKIP() << *why;
  FolioPool pool(Backing::thp, 2u << 20, 2, opt);
  std::memset(pool.folio(0), 0x77, 2u << 20);
  pool.discard(0);
  const auto* b = reinterpret_cast<const unsigned char*>(pool.folio(0));
  EXPECT_EQ(b[12345], 0);  // a fresh folio, zeroed by the kernel
  pool.populate(0);
  EXPECT_TRUE(pool.reverify(0).verified || pool.verify_method() == BackingMethod::none);
}

TEST(FolioPool, RefusesSizesTheBackingCannotProvide) {
  EXPECT_TRUE(backing_unusable(Backing::thp, 4u << 20, {}));
  EXPECT_TRUE(backing_unusable(Backing::mthp, 3u << 20, {}));
  EXPECT_TRUE(backing_unusable(Backing::hugetlb, 4u << 20, {}));
  EXPECT_TRUE(backing_unusable(Backing::base, 1000, {}));
  EXPECT_THROW(FolioPool(Backing::thp, 4u << 20, 1, {}), SetupError);
}

}  // namespace
}  // namespace zs
