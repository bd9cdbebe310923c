// The alias strategies over real memfd-backed folios: each zeroes exactly
// its folio through the second mapping and nothing else (the folios around
// keep their canaries), the alias of a shmem THP folio really has 4 KiB
// entries while the folio itself is huge, a memfd pool's discard punches
// the hole, and aliased plans run only where there is an alias source.
// Backings the machine cannot provide skip with why.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <optional>

#include "common/errors.h"
#include "measure/alias_executor.h"
#include "measure/executor.h"
#include "measure/experiment.h"
#include "memory/folio_pool.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"

namespace zs {
namespace {

std::optional<std::uint64_t> first_not(const void* p, std::uint64_t bytes, unsigned char want) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::uint64_t i = 0; i < bytes; ++i)
    if (b[i] != want) return i;
  return std::nullopt;
}

PoolOptions root_options() {
  PoolOptions opt;
  opt.reserve_hugetlb = geteuid() == 0;
  opt.enable_shmem_thp = geteuid() == 0;
  return opt;
}

class AliasZeroes : public ::testing::TestWithParam<Backing> {};

TEST_P(AliasZeroes, BothAliasStrategiesZeroTheFolioAndNothingElse) {
  const Backing b = GetParam();
  const std::uint64_t bytes = 2u << 20;
  const PoolOptions opt = root_options();
  if (auto why = memfd_backing_unusable(b, bytes, opt)) GTEST_SKIP() << *why;
  std::optional<FolioPool> pool;
  try {
    pool.emplace(b, bytes, 3, opt, PoolSource::memfd);
  } catch (const SetupError& e) {
    GTEST_SKIP() << e.what();
  }
  ASSERT_EQ(pool->source(), PoolSource::memfd);
  ASSERT_GE(pool->fd(), 0);
  EXPECT_EQ(pool->file_offset(2), 2 * bytes);
  EXPECT_EQ(pool->huge_count(), 3u) << pool->describe();
  const Primitive* prim = PrimitiveRegistry::get().find("stosb");
  if (prim == nullptr || !prim->available) prim = PrimitiveRegistry::get().find("memset");
  ASSERT_NE(prim, nullptr);
  AliasWindow w(pool->fd(), bytes, pool->page_bytes(), b == Backing::hugetlb);
  for (const char* name : {"alias-range", "alias-page"}) {
    SCOPED_TRACE(name);
    for (std::size_t i = 0; i < 3; ++i) std::memset(pool->folio(i), 0xa5, bytes);
    const Plan plan = find_strategy(name)->plan({pool->nr_pages(), 0, 2, 0, pool->page_bytes()});
    ASSERT_TRUE(plan.aliased());
    EXPECT_NE(check_executable(plan, *prim, pool->folio(1), bytes, pool->page_bytes()),
              std::nullopt);
    ASSERT_EQ(check_executable(plan, *prim, pool->folio(1), bytes, pool->page_bytes(), true),
              std::nullopt);
    w.release();
    // The mapping-only sequence writes nothing.
    ASSERT_EQ(execute_aliased(plan, prim->fn(), w, pool->file_offset(1), pool->page_bytes(), false,
                              [] {}),
              0);
    EXPECT_EQ(first_not(pool->folio(1), bytes, 0xa5), std::nullopt);
    ASSERT_EQ(
        execute_aliased(plan, prim->fn(), w, pool->file_offset(1), pool->page_bytes(), true, [] {}),
        0);
    w.hold();
    EXPECT_EQ(first_not(pool->folio(0), bytes, 0xa5), std::nullopt) << "the folio before";
    EXPECT_EQ(first_not(pool->folio(1), bytes, 0), std::nullopt) << "the folio zeroed";
    EXPECT_EQ(first_not(pool->folio(2), bytes, 0xa5), std::nullopt) << "the folio after";
  }
  // The alias has base-page entries (shmem), while the program's folio is
  // one huge folio; hugetlbfs allows one huge entry only.
  EXPECT_EQ(w.check_entries(pool->file_offset(1)), std::nullopt);
  EXPECT_TRUE(pool->reverify(1).huge) << pool->reverify(1).detail;
  if (b == Backing::thp) {
    // The smaps reading the check relies on tells the two apart: the same
    // file range mapped at a folio-aligned address is PMD-mapped.
    void* r = mmap(nullptr, 2 * bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_NE(r, MAP_FAILED);
    auto* at = reinterpret_cast<std::byte*>((reinterpret_cast<std::uintptr_t>(r) + bytes - 1) /
                                            bytes * bytes);
    ASSERT_EQ(mmap(at, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | MAP_POPULATE,
                   pool->fd(), static_cast<off_t>(pool->file_offset(1))),
              at);
    const VmaEntries aligned = smaps_entries(at);
    munmap(r, 2 * bytes);
    EXPECT_TRUE(aligned.found);
    EXPECT_EQ(aligned.pmd_kb, bytes >> 10) << "an aligned shmem mapping of a huge folio";
  }
  // discard punches the hole: the file reads zero there, then populate
  // brings a fresh huge folio in.
  std::memset(pool->folio(1), 0x5a, bytes);
  pool->discard(1);
  pool->populate(1);
  EXPECT_EQ(first_not(pool->folio(1), bytes, 0), std::nullopt);
  EXPECT_TRUE(pool->reverify(1).huge) << pool->reverify(1).detail;
}

INSTANTIATE_TEST_SUITE_P(Memfd, AliasZeroes, ::testing::Values(Backing::thp, Backing::hugetlb),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(AliasPool, MthpAndBaseAreRefusedWithTheReason) {
  for (Backing b : {Backing::mthp, Backing::base}) {
    auto why = memfd_backing_unusable(b, 2u << 20, PoolOptions{});
    ASSERT_TRUE(why.has_value());
    EXPECT_NE(why->find("use backing thp or hugetlb"), std::string::npos) << *why;
  }
}

TEST(AliasPool, AliasStrategiesGetAMemfdPoolAndOthersAnAnonymousOne) {
  Point p;
  p.strategy = ZeroingStrategy("alias-page");
  EXPECT_EQ(pool_source(p), PoolSource::memfd);
  p.strategy = ZeroingStrategy("alias-range");
  EXPECT_EQ(pool_source(p), PoolSource::memfd);
  p.strategy = ZeroingStrategy("extent");
  EXPECT_EQ(pool_source(p), PoolSource::anonymous);
  p.strategy = ZeroingStrategy("kernel-fault");
  EXPECT_EQ(pool_source(p), PoolSource::anonymous);
}

TEST(AliasPlan, OpsMustNestInsideOneLiveAlias) {
  Plan ok;
  ok.nr_pages = 4;
  ok.map(0, 4);
  ok.clear(0, 4);
  ok.unmap(0, 4);
  EXPECT_EQ(check_aliased(ok), std::nullopt);
  Plan outside = ok;
  outside.ops[1] = PlanOp::clear(0, 1);
  outside.ops.insert(outside.ops.begin(), PlanOp::clear(3, 1));
  EXPECT_NE(check_aliased(outside).value_or("").find("outside the alias"), std::string::npos);
  Plan left = ok;
  left.ops.pop_back();
  EXPECT_EQ(check_aliased(left), "plan leaves its alias mapped");
  Plan twice = ok;
  twice.ops.insert(twice.ops.begin() + 1, PlanOp::map(0, 1));
  EXPECT_EQ(check_aliased(twice), "plan maps an alias while another is mapped");
  Plan beyond = ok;
  beyond.ops[0] = PlanOp::map(2, 4);
  EXPECT_NE(check_aliased(beyond).value_or("").find("outside the folio"), std::string::npos);
}

}  // namespace
}  // namespace zs
