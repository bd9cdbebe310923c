// zeroscope events --check: the comparison of libpfm4's encodings with the
// raw fallbacks, tested with fake encoders (the x86 libpfm4 has no Arm
// tables), and the shipped files: every arm64 file records its check, and
// the check of every file agrees wherever this libpfm4 has the file's table.
#include "counters/event_check.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "support/run_binary.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

const std::string kEventsDir = std::string(ZS_SOURCE_DIR) + "/configs/events";

EncodeResult encoded(std::uint32_t type, std::uint64_t config, std::uint64_t config1 = 0) {
  EncodeResult r;
  r.event = EncodedEvent{};
  r.event->attr.type = type;
  r.event->attr.config = config;
  r.event->attr.config1 = config1;
  return r;
}

// A libpfm4 with the given tables and events, and a raw path that copies
// the file's codes as encode_metric does.
struct Fake {
  std::map<std::string, EncodeResult> events;
  std::vector<std::string> tables = {"perf", "arm_n1"};
  CheckEncoder encoder() const {
    CheckEncoder e;
    e.pfm = [this](const std::string& s) {
      auto it = events.find(s);
      if (it != events.end()) return it->second;
      EncodeResult r;
      r.error = s + ": event not found";
      return r;
    };
    e.raw = [](const RawEvent& raw) { return encoded(PERF_TYPE_RAW, raw.config, raw.config1); };
    e.has_table = [this](const std::string& t) {
      return std::find(tables.begin(), tables.end(), t) != tables.end();
    };
    return e;
  }
};

MetricDef entry(const std::string& metric, const std::string& pfm, std::optional<std::uint64_t> raw,
                MetricScope scope = MetricScope::core) {
  MetricDef m;
  m.metric = metric;
  m.pfm = pfm;
  if (raw) {
    m.raw = RawEvent{};
    m.raw->config = *raw;
  }
  m.scope = scope;
  return m;
}

FileCheck check(const std::vector<MetricDef>& metrics, const Fake& fake) {
  EventFile f;
  f.uarch = "test";
  f.metrics = metrics;
  return check_event_file(f, fake.encoder());
}

TEST(EventCheck, EqualCodesAgree) {
  Fake fake;
  fake.events["arm_n1::L2D_CACHE_REFILL"] = encoded(PERF_TYPE_RAW, 0x17);
  FileCheck c = check({entry("llc_misses", "arm_n1::L2D_CACHE_REFILL", 0x17)}, fake);
  EXPECT_EQ(c.table, "arm_n1");
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].verdict, CheckVerdict::agree);
  EXPECT_EQ(c.entries[0].detail,
            "arm_n1::L2D_CACHE_REFILL type=4 config=0x17 = raw type=4 config=0x17");
  EXPECT_EQ(c.exit_code(), 0);
}

TEST(EventCheck, ADifferenceShowsBothCodesAndFails) {
  Fake fake;
  fake.events["arm_n1::L2D_CACHE_REFILL"] = encoded(PERF_TYPE_RAW, 0x17);
  fake.events["arm_n1::DTLB_WALK"] = encoded(PERF_TYPE_RAW, 0x34, 0x1);  // config1 differs
  FileCheck c = check({entry("llc_misses", "arm_n1::L2D_CACHE_REFILL", 0x16),
                       entry("dtlb_load_misses", "arm_n1::DTLB_WALK", 0x34)},
                      fake);
  EXPECT_EQ(c.entries[0].verdict, CheckVerdict::differ);
  EXPECT_EQ(c.entries[0].detail,
            "arm_n1::L2D_CACHE_REFILL type=4 config=0x17 but raw type=4 config=0x16");
  EXPECT_EQ(c.entries[1].verdict, CheckVerdict::differ);
  EXPECT_NE(c.entries[1].detail.find("config1=0x1 but raw type=4 config=0x34"), std::string::npos)
      << c.entries[1].detail;
  EXPECT_EQ(c.exit_code(), 1);
  EXPECT_EQ(c.summary(), "2 entries: 0 agree, 2 differ, 0 fail to encode, 0 not compared");
}

// The case the shipped files had: a name the table does not have encodes
// through the fallback in normal use, so only the check can see it.
TEST(EventCheck, ANameLibpfmCannotEncodeFails) {
  Fake fake;
  FileCheck c = check({entry("llc_references", "arm_n1::L2D_CACHE", 0x16)}, fake);
  EXPECT_EQ(c.entries[0].verdict, CheckVerdict::fails);
  EXPECT_EQ(c.entries[0].detail, "libpfm4 cannot encode it: arm_n1::L2D_CACHE: event not found");
  EXPECT_EQ(c.exit_code(), 1);
}

TEST(EventCheck, AMissingTableIsASkipNotAPass) {
  Fake fake;
  fake.tables = {"perf"};  // an x86 libpfm4
  FileCheck c = check({entry("llc_misses", "arm_n1::L2D_CACHE_REFILL", 0x17)}, fake);
  EXPECT_EQ(c.entries[0].verdict, CheckVerdict::no_table);
  EXPECT_EQ(c.entries[0].detail, "arm_n1::L2D_CACHE_REFILL: this libpfm4 has no 'arm_n1' table");
  EXPECT_EQ(c.exit_code(), 77);
  EXPECT_NE(c.summary().find("1 not checkable here"), std::string::npos) << c.summary();
}

// perf::PERF_COUNT_HW_* is PERF_TYPE_HARDWARE; the arm64 driver programs a
// common event for it, which is what the raw fallback must equal.
TEST(EventCheck, GenericEventsAreComparedWithTheEventTheArmDriverPrograms) {
  Fake fake;
  fake.events["perf::PERF_COUNT_HW_CPU_CYCLES"] = encoded(PERF_TYPE_HARDWARE, 0);
  fake.events["arm_n1::CPU_CYCLES"] = encoded(PERF_TYPE_RAW, 0x11);
  fake.events["arm_n1::L2D_CACHE_REFILL"] = encoded(PERF_TYPE_RAW, 0x17);
  FileCheck c = check({entry("cycles", "perf::PERF_COUNT_HW_CPU_CYCLES", 0x11),
                       entry("llc_misses", "arm_n1::L2D_CACHE_REFILL", 0x17)},
                      fake);
  EXPECT_EQ(c.entries[0].verdict, CheckVerdict::agree);
  EXPECT_EQ(c.entries[0].detail,
            "perf::PERF_COUNT_HW_CPU_CYCLES is generic (type=0 config=0x0); the arm64 PMU driver "
            "programs arm_n1::CPU_CYCLES type=4 config=0x11 = raw type=4 config=0x11");

  // A wrong raw code for the generic event is a difference too.
  c = check({entry("cycles", "perf::PERF_COUNT_HW_CPU_CYCLES", 0x08),
             entry("llc_misses", "arm_n1::L2D_CACHE_REFILL", 0x17)},
            fake);
  EXPECT_EQ(c.entries[0].verdict, CheckVerdict::differ);
  EXPECT_EQ(c.exit_code(), 1);

  // Without an Arm core table (an x86 file, or AmpereOne) nothing says what
  // the driver programs: not compared, with the reason.
  c = check({entry("cycles", "perf::PERF_COUNT_HW_CPU_CYCLES", 0x11)}, fake);
  EXPECT_EQ(c.table, "");
  EXPECT_EQ(c.entries[0].verdict, CheckVerdict::not_compared);
  EXPECT_NE(
      c.entries[0].detail.find("the kernel's PMU driver picks the hardware event; raw fallback "
                               "type=4 config=0x11 not compared (no libpfm4 table of this core)"),
      std::string::npos);
  EXPECT_EQ(c.exit_code(), 0);
}

TEST(EventCheck, EntriesWithNothingToCompareSayWhy) {
  Fake fake;
  fake.events["perf::PERF_COUNT_SW_PAGE_FAULTS"] = encoded(PERF_TYPE_SOFTWARE, 2);
  MetricDef sysfs = entry("energy_pkg", "", 0x02);
  sysfs.raw->pmu = "power";
  FileCheck c = check(
      {entry("page_faults", "perf::PERF_COUNT_SW_PAGE_FAULTS", std::nullopt, MetricScope::software),
       entry("llc_misses", "", 0x17), sysfs},
      fake);
  for (const auto& e : c.entries) EXPECT_EQ(e.verdict, CheckVerdict::not_compared) << e.detail;
  EXPECT_EQ(c.entries[0].detail,
            "perf::PERF_COUNT_SW_PAGE_FAULTS type=1 config=0x2; no raw fallback to compare (a "
            "kernel software event)");
  EXPECT_EQ(c.entries[1].detail,
            "raw only (type=4 config=0x17); no libpfm4 string in the file, see its provenance");
  EXPECT_NE(c.entries[2].detail.find("sysfs PMU 'power'"), std::string::npos);
  EXPECT_EQ(c.exit_code(), 0);
  EXPECT_EQ(c.summary(), "3 entries: 0 agree, 0 differ, 0 fail to encode, 3 not compared");
}

TEST(EventCheck, TableNames) {
  EXPECT_EQ(pfm_table("arm_v2::L2D_CACHE"), "arm_v2");
  EXPECT_EQ(pfm_table("nothing"), "");
  EXPECT_EQ(arm_generic_event("perf::PERF_COUNT_HW_INSTRUCTIONS", "arm_v1"), "INST_RETIRED");
  EXPECT_EQ(arm_generic_event("perf::PERF_COUNT_HW_INSTRUCTIONS", "icl"), "");
  EXPECT_EQ(arm_generic_event("perf::PERF_COUNT_SW_PAGE_FAULTS", "arm_v1"), "");
  EXPECT_EQ(force_arm_table("icl"), "");
}

// ---- the shipped files ----------------------------------------------------

bool is_arm64_file(const EventFile& f) {
  return f.uarch.rfind("neoverse-", 0) == 0 || f.uarch == "ampereone";
}

std::vector<EventFile> shipped() {
  std::vector<EventFile> out;
  for (const auto& e : fs::directory_iterator(kEventsDir))
    if (e.path().extension() == ".toml") out.push_back(load_event_file(e.path().string()));
  return out;
}

TEST(EventCheckShipped, EveryArm64FileRecordsItsCheck) {
  int arm = 0;
  for (const EventFile& f : shipped()) {
    if (!is_arm64_file(f)) continue;
    ++arm;
    SCOPED_TRACE(f.path);
    EXPECT_EQ(f.checked.rfind("libpfm4 4.13.0 ", 0), 0u) << f.checked;
    EXPECT_NE(f.checked.find("qemu-aarch64"), std::string::npos) << f.checked;
    const std::string table = core_table(f);
    if (!table.empty()) {
      EXPECT_NE(f.checked.find("LIBPFM_FORCE_PMU=" + table), std::string::npos) << f.checked;
      EXPECT_NE(f.checked.find("0 differ, 0 fail to encode"), std::string::npos) << f.checked;
    }
    EXPECT_EQ(f.provenance.find("could not be checked"), std::string::npos);
    for (const MetricDef& m : f.metrics)
      EXPECT_EQ(m.provenance.find("unchecked"), std::string::npos) << m.metric;
  }
  EXPECT_EQ(arm, 5);
}

// With the installed libpfm4: 0 where it has the file's table (x86 files on
// x86, Arm files in the arm64 build), 77 where it has not; never a difference.
TEST(EventCheckShipped, EveryFileAgreesWhereItsTableExists) {
  const CheckEncoder enc = libpfm_check_encoder();
  for (const EventFile& f : shipped()) {
    SCOPED_TRACE(f.path);
    FileCheck c = check_event_file(f, enc);
    for (const auto& e : c.entries)
      EXPECT_TRUE(e.verdict != CheckVerdict::differ && e.verdict != CheckVerdict::fails)
          << e.metric << ": " << e.detail;
    if (c.table.empty() || enc.has_table(c.table))
      EXPECT_EQ(c.exit_code(), 0) << c.summary();
    else
      EXPECT_EQ(c.exit_code(), 77) << c.summary();
  }
}

TEST(EventCheckCli, ChecksAFileOrSaysWhyNot) {
  const bool arm_tables = libpfm_check_encoder().has_table("arm_n1");
  auto r = zs::testing::run_zeroscope("events --uarch neoverse-n1 --check");
  if (arm_tables) {
    EXPECT_EQ(r.rc, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("table       arm_n1 (active), LIBPFM_FORCE_PMU=arm_n1"), std::string::npos)
        << r.out;
  } else {
    EXPECT_EQ(r.rc, 77) << r.out << r.err;
    EXPECT_EQ(r.out.rfind("SKIPPED: neoverse-n1: not checked: libpfm4 ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("has no 'arm_n1' table (its x86 build has no Arm tables)"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(zs::testing::count_lines(r.out), 1) << r.out;
  }
  // AmpereOne has no libpfm4 table anywhere: nothing differs, each entry says why.
  auto a = zs::testing::run_zeroscope("events --uarch ampereone --check");
  EXPECT_EQ(a.rc, 0) << a.out << a.err;
  EXPECT_NE(a.out.find("table       none: the file names no core table"), std::string::npos)
      << a.out;
  EXPECT_NE(a.out.find("\nllc_misses         not-compared  raw only (type=4 config=0x17)"),
            std::string::npos)
      << a.out;
  EXPECT_NE(a.out.find("result      11 entries: 0 agree, 0 differ, 0 fail to encode, 11 not "
                       "compared"),
            std::string::npos)
      << a.out;
}

// The recorded check is shown by `events`, and --check names a libpfm4
// release other than the recorded one.
TEST(EventCheckCli, RecordedCheckIsShownAndItsReleaseCompared) {
  auto t = zs::testing::run_zeroscope("events --uarch ampereone");
  ASSERT_EQ(t.rc, 0) << t.err;
  EXPECT_NE(t.out.find("\nchecked     libpfm4 4.13.0 (Debian 12 libpfm4:arm64"), std::string::npos)
      << t.out;
  auto j = zs::testing::run_zeroscope("events --uarch ampereone --json");
  ASSERT_EQ(j.rc, 0) << j.err;
  EXPECT_NE(j.out.find("\"checked\": \"libpfm4 4.13.0 "), std::string::npos) << j.out;

  std::string text;
  {
    std::ifstream in(kEventsDir + "/ampereone.toml");
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  const auto at = text.find("checked = \"libpfm4 4.13.0");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("checked = \"libpfm4 4.13.0").size(), "checked = \"libpfm4 4.12.9");
  const std::string dir = ::testing::TempDir() + "/zs_event_check_" + std::to_string(::getpid());
  fs::create_directories(dir);
  std::ofstream(dir + "/ampereone.toml") << text;
  auto c = zs::testing::run_zeroscope("events --events " + dir + "/ampereone.toml --check");
  EXPECT_EQ(c.rc, 0) << c.out << c.err;
  if (c.out.find("libpfm4     4.13.0 ") != std::string::npos) {
    EXPECT_NE(c.out.find("\nnote        the recorded check is not by libpfm4 4.13.0"),
              std::string::npos)
        << c.out;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace zs
