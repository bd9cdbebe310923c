// The arm64 identification decoders and tables (platform/arm64_cpu.h), on
// register values of known cores, so they are checked on any host.
#include "platform/arm64_cpu.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace zs::platform::arm64 {
namespace {

TEST(Arm64Midr, DecodesEveryField) {
  const Midr n1 = decode_midr(0x413fd0c1);  // Neoverse N1 r3p1
  EXPECT_EQ(n1.implementer, 0x41u);
  EXPECT_EQ(n1.variant, 3u);
  EXPECT_EQ(n1.architecture, 0xfu);
  EXPECT_EQ(n1.part, 0xd0cu);
  EXPECT_EQ(n1.revision, 1u);
  const Midr a1 = decode_midr(0xc00fac31);  // AmpereOne r0p1
  EXPECT_EQ(a1.implementer, 0xc0u);
  EXPECT_EQ(a1.part, 0xac3u);
  EXPECT_EQ(a1.variant, 0u);
  EXPECT_EQ(a1.revision, 1u);
  // The upper 32 bits are RES0; they do not leak into the fields.
  EXPECT_EQ(decode_midr(0xffffffff00000000ull | 0x410fd4f1).part, 0xd4fu);
}

TEST(Arm64Midr, ParsesTheSysfsText) {
  EXPECT_EQ(parse_midr_text("0x00000000413fd0c1\n"), 0x413fd0c1u);
  EXPECT_EQ(parse_midr_text("0x00000000410fd4f1"), 0x410fd4f1u);
  EXPECT_EQ(parse_midr_text("0X413FD0C1 \n"), 0x413fd0c1u);
  for (const char* bad : {"", "\n", "0x", "413fd0c1", "0x413fd0c1zz", "0x1413fd0c1", "-0x1",
                          "0x 413fd0c1", "garbage"})
    EXPECT_EQ(parse_midr_text(bad), std::nullopt) << "'" << bad << "'";
}

TEST(Arm64Cores, NeoverseAndAmpereByImplementerAndPart) {
  struct Case {
    unsigned implementer, part;
    const char* uarch;
  } cases[] = {
      {0x41, 0xd0c, "neoverse-n1"},  // also Ampere Altra, Graviton2
      {0x41, 0xd49, "neoverse-n2"}, {0x41, 0xd40, "neoverse-v1"},
      {0x41, 0xd4f, "neoverse-v2"}, {0xc0, 0xac3, "ampereone"},
      {0xc0, 0xac4, "ampereone"},   {0x6d, 0xd49, "neoverse-n2"},  // Azure Cobalt 100
  };
  for (const Case& c : cases) {
    const Core* core = find_core(c.implementer, c.part);
    ASSERT_NE(core, nullptr) << std::hex << c.implementer << "/" << c.part;
    EXPECT_EQ(core->uarch, c.uarch);
  }
  EXPECT_EQ(find_core(0x41, 0xd0c)->name, "Neoverse N1");
  EXPECT_NE(find_core(0x41, 0xd0c)->machines.find("Ampere Altra"), std::string_view::npos);
  EXPECT_EQ(find_core(0x41, 0xfff), nullptr);
  EXPECT_EQ(find_core(0xc0, 0xd0c), nullptr);  // parts belong to their implementer
  EXPECT_EQ(find_core(0, 0), nullptr);
  std::set<std::pair<unsigned, unsigned>> seen;
  for (const Core& c : known_cores())
    EXPECT_TRUE(seen.insert({c.implementer, c.part}).second) << c.name << " listed twice";
}

TEST(Arm64Cores, ImplementerNames) {
  EXPECT_EQ(implementer_name(0x41), "ARM");
  EXPECT_EQ(implementer_name(0xc0), "Ampere");
  EXPECT_EQ(implementer_name(0x6d), "Microsoft");
  EXPECT_EQ(implementer_name(0x99), "implementer 153");
}

TEST(Arm64Ctr, CacheLinesAndCoherenceBits) {
  // 0x8444c004 (qemu -cpu neoverse-n1): CWG 4, ERG 4, DminLine 4, L1Ip PIPT, IminLine 4.
  const Ctr n1 = decode_ctr(0x8444c004);
  EXPECT_EQ(n1.dcache_line_bytes, 64u);
  EXPECT_EQ(n1.icache_line_bytes, 64u);
  EXPECT_FALSE(n1.idc);
  EXPECT_FALSE(n1.dic);
  const Ctr both = decode_ctr((1u << 29) | (1u << 28) | (5u << 16) | 4u);
  EXPECT_EQ(both.dcache_line_bytes, 128u);
  EXPECT_EQ(both.icache_line_bytes, 64u);
  EXPECT_TRUE(both.idc);
  EXPECT_TRUE(both.dic);
}

TEST(Arm64Hwcaps, NamesTheFeaturesZeroscopeUses) {
  EXPECT_TRUE(hwcap_names({}).empty());
  Hwcaps caps{kHwcapFp | kHwcapAsimd | kHwcapSve | (1ull << 3), kHwcap2Mops | kHwcap2Bti};
  EXPECT_EQ(hwcap_names(caps), (std::vector<std::string>{"fp", "asimd", "sve", "bti", "mops"}));
  EXPECT_TRUE(has_mops(caps));
  EXPECT_FALSE(has_mops({~0ull, ~kHwcap2Mops}));
  // The uapi header's values (arch/arm64/include/uapi/asm/hwcap.h).
  EXPECT_EQ(kHwcap2Mops, 0x80000000000ull);
  EXPECT_EQ(kHwcapCpuid, 0x800ull);
}

TEST(Arm64Readers, AnswerOnlyOnArm64) {
#if defined(__aarch64__)
  ASSERT_TRUE(read_ctr_el0().has_value());
  EXPECT_GE(decode_ctr(*read_ctr_el0()).dcache_line_bytes, 16u);
  EXPECT_TRUE(read_dczid_el0().has_value());
  ASSERT_TRUE(read_hwcaps().has_value());
  EXPECT_TRUE(read_hwcaps()->hwcap & kHwcapFp);
#else
  EXPECT_EQ(read_ctr_el0(), std::nullopt);
  EXPECT_EQ(read_dczid_el0(), std::nullopt);
  EXPECT_EQ(read_hwcaps().has_value(), false);
#endif
}

}  // namespace
}  // namespace zs::platform::arm64
