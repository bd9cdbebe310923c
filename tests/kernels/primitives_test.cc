#include <gtest/gtest.h>

#include "primitives/registry.h"
#include "support/zero_check.h"

namespace zs {
namespace {

std::vector<std::string> primitive_names() {
  std::vector<std::string> out;
  for (const Primitive& p : PrimitiveRegistry::get().all()) out.emplace_back(p.name());
  return out;
}

class PrimitiveZeroes : public ::testing::TestWithParam<std::string> {};

TEST_P(PrimitiveZeroes, ExactlyTheRangeAtEveryAllowedAlignment) {
  const Primitive* p = PrimitiveRegistry::get().find(GetParam());
  ASSERT_NE(p, nullptr);
  if (!p->available) GTEST_SKIP() << p->name() << " is not available on this CPU: " << p->why;
  testing::Arena arena;
  ASSERT_TRUE(arena.ok());
  std::size_t cases = 0;
  EXPECT_EQ(arena.check_all(*p, &cases), "");
  // Every size at two offsets at least; fewer sizes and offsets fit a large
  // granule (DC ZVA: 64 bytes on Neoverse, 512 under qemu, up to 2 KiB).
  const std::size_t sizes = testing::check_sizes(p->granule).size();
  EXPECT_GE(sizes, 3u);
  EXPECT_GE(cases, 2 * sizes);
  if (p->granule <= 64) {
    EXPECT_GT(cases, 20u);
  }
  RecordProperty("cases", static_cast<int>(cases));
}

INSTANTIATE_TEST_SUITE_P(Registry, PrimitiveZeroes, ::testing::ValuesIn(primitive_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(PrimitiveRegistry, KernelAliasResolvesToAnAvailableRealPrimitive) {
  const auto& reg = PrimitiveRegistry::get();
  const Primitive* k = reg.find("kernel");
  ASSERT_NE(k, nullptr);
  EXPECT_TRUE(k->available);
  EXPECT_NE(k->name(), "kernel");
  EXPECT_EQ(k, &reg.kernel());
  EXPECT_FALSE(reg.kernel_why().empty());
}

TEST(PrimitiveRegistry, UnknownNameIsNull) {
  EXPECT_EQ(PrimitiveRegistry::get().find("stosw"), nullptr);
}

TEST(PrimitiveRegistry, EveryEntryHasSaneMetadataAndAReason) {
  for (const Primitive& p : PrimitiveRegistry::get().all()) {
    SCOPED_TRACE(std::string(p.name()));
    EXPECT_FALSE(p.why.empty());
    EXPECT_GT(p.align, 0u);
    EXPECT_GT(p.granule, 0u);
    // Whole pages must always be acceptable: every strategy clears pages.
    EXPECT_EQ(4096 % p.granule, 0u);
    EXPECT_EQ(4096 % p.align, 0u);
    EXPECT_NE(p.fn(), nullptr);
  }
}

TEST(PrimitiveRegistry, ThisArchitectureHasItsPrimitivesAndMemset) {
  std::vector<std::string> names = PrimitiveRegistry::get().names();
  auto has = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  EXPECT_TRUE(has("memset"));
  EXPECT_TRUE(has("kernel"));
#if defined(__x86_64__)
  for (const char* n : {"stosb", "stosq", "movq", "avx2", "avx512", "nt", "movnti", "clzero"})
    EXPECT_TRUE(has(n)) << n;
#elif defined(__aarch64__)
  for (const char* n : {"dc-zva", "stnp", "stp"}) EXPECT_TRUE(has(n)) << n;
#endif
}

}  // namespace
}  // namespace zs
