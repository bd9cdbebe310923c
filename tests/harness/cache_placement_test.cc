#include <gtest/gtest.h>
#include <sched.h>

#include <cstring>
#include <vector>

#include "common/errors.h"
#include "machine/placement.h"
#include "memory/cache_state.h"

namespace zs {
namespace {

TEST(Llc, DetectedFromSysfsOrCpuidWithItsSource) {
  LlcInfo llc = detect_llc(std::nullopt);
  EXPECT_GE(llc.bytes, 1u << 20);
  EXPECT_FALSE(llc.source.empty());
  // The development VM has no sysfs cache entries: then CPUID must answer.
  RecordProperty("llc_source", llc.source);
}

TEST(Llc, ConfiguredValueWhenPreferred) {
  LlcInfo llc = detect_llc(64u << 20, true);
  EXPECT_EQ(llc.bytes, 64u << 20);
  EXPECT_EQ(llc.source, kConfiguredLlc);
}

TEST(ColdPool, AtLeastFourTimesTheLlcAndTwoFolios) {
  EXPECT_EQ(cold_pool_folios(32u << 20, 2u << 20), 64u);
  EXPECT_EQ(cold_pool_folios(33u << 20, 2u << 20), 66u);
  EXPECT_EQ(cold_pool_folios(32u << 20, 1u << 30), 2u);
}

TEST(CacheStateNames, Parse) {
  EXPECT_EQ(parse_cache_state("warm"), CacheState::warm);
  EXPECT_FALSE(parse_cache_state("hot"));
  EXPECT_EQ(parse_evict("clflush"), Evict::clflush);
  EXPECT_FALSE(parse_evict("wbinvd"));
}

TEST(CacheState, WarmWritesTheFolioColdClflushKeepsItsContent) {
  std::vector<unsigned char> f(1 << 16, 0);
  prepare_cache_state(CacheState::warm, Evict::pool, reinterpret_cast<std::byte*>(f.data()),
                      f.size());
  for (unsigned char c : f) ASSERT_EQ(c, 0x5a);
  prepare_cache_state(CacheState::cold, Evict::clflush, reinterpret_cast<std::byte*>(f.data()),
                      f.size());
  for (unsigned char c : f) ASSERT_EQ(c, 0x5a);  // flushed, not changed
}

TEST(Placement, PinsToTheHighestAllowedCpuByDefault) {
  cpu_set_t before;
  sched_getaffinity(0, sizeof before, &before);
  Placement p = apply_placement(std::nullopt, std::nullopt);
  EXPECT_GE(p.cpu, 0);
  cpu_set_t now;
  sched_getaffinity(0, sizeof now, &now);
  EXPECT_EQ(CPU_COUNT(&now), 1);
  EXPECT_TRUE(CPU_ISSET(p.cpu, &now));
  EXPECT_EQ(sched_getcpu(), p.cpu);
  sched_setaffinity(0, sizeof before, &before);
}

TEST(Placement, RefusesCpusAndNodesThatDoNotExist) {
  try {
    apply_placement(4000, std::nullopt);
    FAIL() << "CPU 4000 accepted";
  } catch (const SetupError& e) {
    EXPECT_EQ(e.about, Option::cpu);
    EXPECT_EQ(
        std::string(e.what()).rfind("CPU 4000 is not one this process may run on; allowed: ", 0),
        0u)
        << e.what();
    EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << e.what();
  }
  try {
    apply_placement(std::nullopt, 99);
    FAIL() << "node 99 accepted";
  } catch (const SetupError& e) {
    EXPECT_EQ(e.about, Option::node);
    EXPECT_NE(std::string(e.what()).find("node 99"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("--"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zs
