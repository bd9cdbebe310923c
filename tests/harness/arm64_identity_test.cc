// arm64 identity from recorded (and, where marked, constructed) sysfs and
// /proc/cpuinfo files (tests/fixtures/procfs/README.md): MIDR from sysfs
// first, else the cpuinfo lines; the core table agrees with the event
// files' [[match]] rules; uarch_for names the core.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "counters/events.h"
#include "counters/match_rules.h"
#include "machine/cpu_identity.h"
#include "machine/procfs.h"
#include "platform/arm64_cpu.h"
#include "support/files.h"

namespace zs {
namespace {

const std::string kEventsDir = std::string(ZS_SOURCE_DIR) + "/configs/events";
const platform::CpuSignature kArm{"arm64", "", 0, 0, 0};

std::string fixture(const std::string& name) { return test::fixture_text("procfs", name); }

CpuIdentity identity(const std::string& cpuinfo, std::optional<std::string> midr) {
  return cpu_identity(kArm, procfs::cpuinfo_fields(cpuinfo), midr);
}

TEST(Arm64Identity, SysfsMidrFirst) {
  // Sysfs wins over cpuinfo lines that say something else.
  CpuIdentity c = identity(fixture("cpuinfo-arm64-ampereone-constructed.txt"),
                           fixture("midr_el1-neoverse-n1-r3p1.txt"));
  EXPECT_EQ(c.implementer, 0x41u);
  EXPECT_EQ(c.part, 0xd0cu);
  EXPECT_EQ(c.variant, 3u);
  EXPECT_EQ(c.revision, 1u);
  EXPECT_EQ(c.vendor, "ARM");
  EXPECT_EQ(c.midr, 0x413fd0c1u);
  EXPECT_EQ(c.midr_source, kMidrPath);

  for (auto [file, part] : {std::pair{"midr_el1-neoverse-v1-r1p1.txt", 0xd40u},
                            std::pair{"midr_el1-neoverse-v2-r0p1.txt", 0xd4fu}}) {
    CpuIdentity v = identity("", fixture(file));
    EXPECT_EQ(v.implementer, 0x41u) << file;
    EXPECT_EQ(v.part, part) << file;
  }
  CpuIdentity a1 = identity("", fixture("midr_el1-ampereone-constructed.txt"));
  EXPECT_EQ(a1.vendor, "Ampere");
  EXPECT_EQ(a1.part, 0xac3u);
}

TEST(Arm64Identity, CpuinfoWhenSysfsIsMissingOrDamaged) {
  const std::string n1 = fixture("cpuinfo-arm64-neoverse-n1.txt");
  for (const auto& midr : {std::optional<std::string>(), std::optional<std::string>("junk\n")}) {
    CpuIdentity c = identity(n1, midr);
    EXPECT_EQ(c.implementer, 0x41u);
    EXPECT_EQ(c.part, 0xd0cu);
    EXPECT_EQ(c.variant, 3u);
    EXPECT_EQ(c.revision, 1u);
    EXPECT_FALSE(c.midr.has_value());
    EXPECT_NE(c.midr_source.find("/proc/cpuinfo"), std::string::npos) << c.midr_source;
    EXPECT_NE(c.midr_source.find(midr ? "unparsable" : "no /sys"), std::string::npos)
        << c.midr_source;
  }
  CpuIdentity a1 = identity(fixture("cpuinfo-arm64-ampereone-constructed.txt"), std::nullopt);
  EXPECT_EQ(a1.vendor, "Ampere");
  EXPECT_EQ(a1.implementer, 0xc0u);
  EXPECT_EQ(a1.part, 0xac3u);
  // x86 never looks at a MIDR.
  CpuIdentity x =
      cpu_identity({"x86_64", "GenuineIntel", 6, 0x8f, 8}, {}, std::string("0x00000000413fd0c1"));
  EXPECT_EQ(x.implementer, 0u);
  EXPECT_FALSE(x.midr.has_value());
}

// Every arm64 [[match]] rule of the shipped event files names a file whose
// stem is the uarch the core table gives the same implementer and part.
TEST(Arm64Identity, CoreTableAgreesWithEventFiles) {
  ::setenv("ZS_EVENTS_DIR", kEventsDir.c_str(), 1);  // each test runs in its own process
  int checked = 0;
  for (const std::string& stem : known_uarchs()) {
    ParsedEventFile p = parse_event_file(kEventsDir + "/" + stem + ".toml");
    for (const MatchRule& r : p.rules) {
      if (!r.implementer) continue;
      for (unsigned part : r.parts) {
        const platform::arm64::Core* core = platform::arm64::find_core(*r.implementer, part);
        ASSERT_NE(core, nullptr) << stem << ": part " << part << " not in the core table";
        EXPECT_EQ(core->uarch, stem);
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 7);  // N1, N2 (Arm and Microsoft), V1, V2, AmpereOne (2 parts)
}

TEST(Arm64Identity, UarchChoiceNamesTheCore) {
  ::setenv("ZS_EVENTS_DIR", kEventsDir.c_str(), 1);  // each test runs in its own process
  CpuIdentity n1 = identity("", fixture("midr_el1-neoverse-n1-r3p1.txt"));
  UarchChoice u = uarch_for(n1);
  EXPECT_EQ(u.uarch, "neoverse-n1");
  EXPECT_NE(u.why.find("part 0xd0c [Neoverse N1]"), std::string::npos) << u.why;
  CpuIdentity a1 = identity(fixture("cpuinfo-arm64-ampereone-constructed.txt"), std::nullopt);
  UarchChoice a = uarch_for(a1);
  EXPECT_EQ(a.uarch, "ampereone");
  EXPECT_NE(a.why.find("[AmpereOne]"), std::string::npos) << a.why;
  // A core the table knows but no event file describes (Neoverse V3).
  CpuIdentity v3 = identity("", std::string("0x00000000410fd840"));
  UarchChoice g = uarch_for(v3);
  EXPECT_EQ(g.uarch, "generic");
  EXPECT_NE(g.why.find("uarch neoverse-v3; there is no neoverse-v3.toml"), std::string::npos)
      << g.why;
}

}  // namespace
}  // namespace zs
