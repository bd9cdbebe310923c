// Targets and access plans: where addr_hint lands and what the access
// phase touches, for every pattern, at the folio's edges.
#include <gtest/gtest.h>

#include <set>

#include "measure/access.h"
#include "measure/target.h"

namespace zs {
namespace {

constexpr std::uint64_t kPage = 4096, kN = 512, kFolio = kN * kPage;

Target resolve(const char* s) {
  std::mt19937_64 rng(1);
  auto spec = TargetSpec::parse(s);
  EXPECT_TRUE(spec) << s;
  auto t = resolve_target(*spec, kN, kPage, rng);
  EXPECT_TRUE(t) << s;
  return t.value_or(Target{});
}

TEST(Target, NamedPositionsIndicesAndOffsets) {
  EXPECT_EQ(resolve("first").page, 0u);
  EXPECT_EQ(resolve("middle").page, 256u);
  EXPECT_EQ(resolve("last").page, 511u);
  EXPECT_EQ(resolve("300").page, 300u);
  Target o = resolve("offset:1MiB");
  EXPECT_EQ(o.page, 256u);
  EXPECT_EQ(o.page_offset, 0u);
  o = resolve("offset:4100");
  EXPECT_EQ(o.page, 1u);
  EXPECT_EQ(o.page_offset, 4u);
  EXPECT_EQ(TargetSpec::parse("offset:1MiB")->name(), "offset:1048576");
}

TEST(Target, RejectsMalformedAndOutOfRange) {
  for (const char* bad : {"", "mid", "-1", "offset:", "offset:x", "1.5"})
    EXPECT_FALSE(TargetSpec::parse(bad)) << bad;
  std::mt19937_64 rng(1);
  EXPECT_FALSE(resolve_target(*TargetSpec::parse("512"), kN, kPage, rng));
  EXPECT_FALSE(resolve_target(*TargetSpec::parse("offset:2MiB"), kN, kPage, rng));
}

TEST(Target, RandomIsSeededAndCoversTheFolio) {
  auto spec = *TargetSpec::parse("random");
  std::mt19937_64 a(7), b(7);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    auto ta = resolve_target(spec, kN, kPage, a), tb = resolve_target(spec, kN, kPage, b);
    ASSERT_EQ(ta->page, tb->page);
    ASSERT_LT(ta->page, kN);
    seen.insert(ta->page);
  }
  EXPECT_GT(seen.size(), 400u);
}

AccessPlan plan(AccessPattern p, std::uint64_t hint, AccessOp op = AccessOp::write) {
  return make_access_plan(AccessSpec{p, op, 16}, kFolio, kPage, hint, 64, 3);
}
using R = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

TEST(AccessPlan, EveryPatternTouchesWhatItSays) {
  const std::uint64_t hint = 300 * kPage + 100;
  EXPECT_EQ(plan(AccessPattern::none, hint).bytes(), 0u);
  EXPECT_EQ(plan(AccessPattern::touch, hint).ranges, (R{{300 * kPage + 64, 64}}));
  EXPECT_EQ(plan(AccessPattern::page, hint).ranges, (R{{300 * kPage, kPage}}));
  EXPECT_EQ(plan(AccessPattern::neighbourhood, hint).ranges, (R{{298 * kPage, 5 * kPage}}));
  EXPECT_EQ(plan(AccessPattern::stream, hint).ranges,
            (R{{300 * kPage + 64, kFolio - 300 * kPage - 64}}));
  EXPECT_EQ(plan(AccessPattern::folio, hint).ranges, (R{{0, kFolio}}));
  AccessPlan r = plan(AccessPattern::random, hint);
  EXPECT_EQ(r.lines.size(), 16u);
  for (auto l : r.lines) {
    EXPECT_EQ(l % 64, 0u);
    EXPECT_LT(l, kFolio);
  }
  EXPECT_EQ(plan(AccessPattern::random, 0).lines, r.lines);  // seeded, not target-dependent
}

TEST(AccessPlan, NeighbourhoodClampsAtTheEdges) {
  EXPECT_EQ(plan(AccessPattern::neighbourhood, 0).ranges, (R{{0, 3 * kPage}}));
  EXPECT_EQ(plan(AccessPattern::neighbourhood, kPage).ranges, (R{{0, 4 * kPage}}));
  EXPECT_EQ(plan(AccessPattern::neighbourhood, 511 * kPage).ranges, (R{{509 * kPage, 3 * kPage}}));
}

TEST(AccessRun, WritesExactlyThePlanAndReadsWithoutWriting) {
  std::vector<std::uint64_t> mem(kFolio / 8, 0);
  auto* folio = reinterpret_cast<std::byte*>(mem.data());
  run_access(plan(AccessPattern::neighbourhood, 300 * kPage), folio);
  for (std::uint64_t i = 0; i < mem.size(); ++i) {
    bool inside = i * 8 >= 298 * kPage && i * 8 < 303 * kPage;
    ASSERT_EQ(mem[i] != 0, inside) << "word " << i;
  }
  std::vector<std::uint64_t> before = mem;
  std::uint64_t sum = run_access(plan(AccessPattern::folio, 0, AccessOp::read), folio);
  EXPECT_EQ(mem, before);
  EXPECT_NE(sum, 0u);  // it read the words written above
}

// The bytes a plan covers, line by line (random lines included).
std::vector<bool> covered(const AccessPlan& p) {
  std::vector<bool> in(kFolio, false);
  for (const auto& [off, bytes] : p.ranges)
    for (std::uint64_t b = off; b < off + bytes; ++b) in[b] = true;
  for (std::uint64_t l : p.lines)
    for (std::uint64_t b = l; b < l + p.line; ++b) in[b] = true;
  return in;
}

constexpr AccessPattern kAll[] = {AccessPattern::none,   AccessPattern::touch,
                                  AccessPattern::page,   AccessPattern::neighbourhood,
                                  AccessPattern::stream, AccessPattern::folio,
                                  AccessPattern::random, AccessPattern::usemem};

TEST(AccessRun, EveryWriteStoresExactlyItsBytes) {
  for (AccessPattern pat : kAll) {
    for (std::uint64_t hint : {std::uint64_t{0}, 300 * kPage + 100, 511 * kPage + 4095}) {
      std::vector<std::byte> mem(kFolio + 2 * kPage, std::byte{0});
      std::byte* folio = mem.data() + kPage;  // a guard page either side
      const AccessPlan p = plan(pat, hint);
      run_access(p, folio);
      const std::vector<bool> in = covered(p);
      for (std::uint64_t b = 0; b < kPage; ++b) {
        ASSERT_EQ(mem[b], std::byte{0}) << to_string(pat) << " before the folio";
        ASSERT_EQ(mem[kPage + kFolio + b], std::byte{0}) << to_string(pat) << " after it";
      }
      for (std::uint64_t b = 0; b < kFolio; ++b) {
        if (!in[b]) {
          ASSERT_EQ(folio[b], std::byte{0}) << to_string(pat) << " byte " << b;
        } else if (pat != AccessPattern::usemem) {
          ASSERT_EQ(folio[b], std::byte{kAccessFill}) << to_string(pat) << " byte " << b;
        }
      }
    }
  }
}

TEST(AccessRun, UsememStoresEachWordsIndexInOrderFromTheStart) {
  const AccessPlan p = plan(AccessPattern::usemem, 300 * kPage + 100);
  EXPECT_EQ(p.ranges, (R{{0, kFolio}}));  // the fault address does not matter
  EXPECT_TRUE(p.word_index);
  std::vector<std::uint64_t> mem(kFolio / 8, ~0ull);
  run_access(p, reinterpret_cast<std::byte*>(mem.data()));
  for (std::uint64_t i = 0; i < mem.size(); ++i) ASSERT_EQ(mem[i], i) << "word " << i;
  EXPECT_FALSE(plan(AccessPattern::usemem, 0, AccessOp::read).word_index);
}

TEST(AccessRun, EveryReadSumsEveryWordOfItsRegionAndWritesNothing) {
  std::vector<std::uint64_t> mem(kFolio / 8);
  for (std::uint64_t i = 0; i < mem.size(); ++i) mem[i] = i * 7 + 1;
  const std::vector<std::uint64_t> before = mem;
  auto* folio = reinterpret_cast<std::byte*>(mem.data());
  for (AccessPattern pat : kAll) {
    const AccessPlan p = plan(pat, 300 * kPage + 100, AccessOp::read);
    const std::vector<bool> in = covered(p);
    std::uint64_t want = 0;
    for (std::uint64_t i = 0; i < mem.size(); ++i)
      if (in[i * 8]) want += mem[i];
    // random lines may repeat: each drawn line is read (and summed) once per draw
    if (pat == AccessPattern::random) {
      want = 0;
      for (std::uint64_t l : p.lines)
        for (std::uint64_t w = 0; w < 8; ++w) want += mem[l / 8 + w];
    }
    EXPECT_EQ(run_access(p, folio), want) << to_string(pat);
    EXPECT_EQ(mem, before) << to_string(pat);
  }
}

TEST(AccessNames, ParseAndPrintRoundTrip) {
  EXPECT_EQ(access_name({AccessPattern::usemem, AccessOp::read, 64}), "usemem:read");
  for (const char* n :
       {"none", "touch", "page", "neighbourhood", "stream", "folio", "random", "usemem"})
    EXPECT_STREQ(to_string(*parse_access_pattern(n)), n);
  EXPECT_FALSE(parse_access_pattern("neighborhood"));
  EXPECT_EQ(parse_access_op("read"), AccessOp::read);
  EXPECT_FALSE(parse_access_op("rw"));
}

}  // namespace
}  // namespace zs
