// Plans executed with every available primitive over a real 2 MiB folio:
// the whole folio ends up zero and the memory around it untouched.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>

#include "measure/executor.h"
#include "memory/mapping.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"

namespace zs {
namespace {

constexpr std::size_t kFolio = 2u << 20;

std::size_t page_size() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

TEST(Executor, EveryStrategyAndPrimitiveZeroesTheWholeFolioAndNothingElse) {
  const std::size_t page = page_size();
  const std::uint64_t n = kFolio / page;
  Mapping m = Mapping::anonymous(3 * kFolio, kFolio);  // folio in the middle, canaries either side
  m.advise_huge();
  std::byte* folio = m.data() + kFolio;
  std::size_t ran = 0;
  for (const Primitive& prim : PrimitiveRegistry::get().all()) {
    if (!prim.available) continue;
    for (const Strategy& s : strategies())
      for (std::uint64_t t : {std::uint64_t{0}, n / 2 + 3, n - 1}) {
        SCOPED_TRACE(std::string(s.name) + " / " + std::string(prim.name()) +
                     " t=" + std::to_string(t));
        StrategyParams p{n, t, 2, s.uses_batch ? 37u : 0u, page};
        Plan plan = s.plan(p);
        if (plan.aliased()) {  // refused here; run through an alias mapping elsewhere
          EXPECT_NE(check_executable(plan, prim, folio, kFolio, page), std::nullopt);
          continue;
        }
        ASSERT_EQ(check_executable(plan, prim, folio, kFolio, page), std::nullopt);
        std::memset(m.data(), 0xa5, m.size());
        std::uint64_t resched = 0;
        execute(plan, prim.fn(), folio, page, [&] { ++resched; });
        EXPECT_EQ(resched, plan.resched_points());
        const auto* b = reinterpret_cast<const unsigned char*>(m.data());
        for (std::size_t i = 0; i < m.size(); ++i) {
          bool inside = i >= kFolio && i < 2 * kFolio;
          // prezeroed clears nothing: the folio keeps what it held.
          if (b[i] != (inside && s.clears ? 0 : 0xa5)) {
            FAIL() << "byte " << i << " of the mapping is " << int(b[i]);
          }
        }
        ++ran;
      }
  }
  EXPECT_GT(ran, 0u);
}

TEST(Executor, RefusesWhatCannotRun) {
  const std::size_t page = page_size();
  const Primitive& k = PrimitiveRegistry::get().kernel();
  Mapping m = Mapping::anonymous(kFolio, kFolio);
  Plan plan = plan_extent({kFolio / page, 0, 2, 0});

  EXPECT_EQ(check_executable(plan, k, m.data(), kFolio, page), std::nullopt);
  // A plan for another folio size.
  auto err = check_executable(plan, k, m.data(), kFolio / 2, page);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("folio is"), std::string::npos);
  // A clear call outside the folio.
  Plan bad = plan;
  bad.ops.push_back(PlanOp::clear(kFolio / page - 1, 2));
  err = check_executable(bad, k, m.data(), kFolio, page);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("outside the folio"), std::string::npos);
  // An unavailable primitive, and one whose alignment the base misses.
  Primitive fake = k;
  fake.available = false;
  fake.why = "no such unit";
  err = check_executable(plan, fake, m.data(), kFolio, page);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("no such unit"), std::string::npos);
  fake.available = true;
  fake.align = 64;
  err = check_executable(plan, fake, m.data() + 8, kFolio, page);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("aligned"), std::string::npos);
}

TEST(Mapping, IsFolioAlignedAndReleasesOnMove) {
  Mapping a = Mapping::anonymous(kFolio + 1, kFolio);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.data()) % kFolio, 0u);
  EXPECT_EQ(a.size(), 2 * kFolio);
  Mapping b = std::move(a);
  EXPECT_EQ(a.data(), nullptr);
  EXPECT_NE(b.data(), nullptr);
}

}  // namespace
}  // namespace zs
