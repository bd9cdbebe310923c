// Event files: every shipped file loads, declares what it counts, and
// encodes on this machine with the installed libpfm4 (or its raw
// fallback); malformed files fail with "path:line: key: problem"; CPUs map
// to the right file through the files' [[match]] rules.
#include "counters/events.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "support/files.h"
#include "support/run_binary.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

const std::string kEventsDir = std::string(ZS_SOURCE_DIR) + "/configs/events";

// Restores an environment variable when the test ends.
class EnvGuard {
 public:
  EnvGuard(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~EnvGuard() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Whether the installed libpfm4 was built with this table (x86 builds have
// no Arm tables and the reverse).
bool libpfm_has_table(const std::string& name) {
  static const std::vector<PfmPmu> all = pfm_pmus(false);
  return std::any_of(all.begin(), all.end(), [&](const PfmPmu& p) { return p.name == name; });
}

std::string temp_dir(const std::string& name) {
  std::string d = ::testing::TempDir() + "/zs_events_" + std::to_string(::getpid()) + "_" + name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

void write_file(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << content;
}

std::vector<EventFile> shipped_files() {
  EnvGuard env("ZS_EVENTS_DIR", kEventsDir);
  std::vector<EventFile> out;
  for (const auto& u : known_uarchs())
    out.push_back(load_event_file(kEventsDir + "/" + u + ".toml"));
  return out;
}

bool pmu_present(const std::string& pmu) {
  return fs::exists("/sys/bus/event_source/devices/" + pmu + "/type");
}

TEST(Events, TheShippedFilesAreTheExpectedSet) {
  EnvGuard env("ZS_EVENTS_DIR", kEventsDir);
  std::vector<std::string> want = {
      "ampereone", "generic", "icx",  "neoverse-n1", "neoverse-n2", "neoverse-v1", "neoverse-v2",
      "skx",       "spr",     "zen2", "zen3",        "zen4",        "zen5"};
  EXPECT_EQ(known_uarchs(), want);
}

TEST(Events, EveryFileLoadsAndEveryEntryIsWellFormed) {
  const std::set<std::string> counts = {"all",       "demand-loads", "rfo",    "prefetch",
                                        "loads+rfo", "stores",       "cycles", "instructions",
                                        "software",  "energy"};
  const std::set<std::string> scopes = {"core", "uncore", "software", "energy"};
  const std::set<std::string> units = {"count", "ns", "joules"};
  const auto& known = known_metrics();
  for (const EventFile& f : shipped_files()) {
    SCOPED_TRACE(f.path);
    EXPECT_EQ(f.uarch, fs::path(f.path).stem().string()) << "uarch must equal the file name";
    EXPECT_FALSE(f.description.empty());
    EXPECT_FALSE(f.provenance.empty());
    // Every file maps at least the basics and the software events.
    for (const char* m : {"cycles", "instructions", "llc_misses", "l2_misses", "dtlb_load_misses",
                          "page_faults", "task_clock", "context_switches"})
      if (f.uarch != "generic" || std::string(m) != "l2_misses") {
        EXPECT_NE(f.find(m), nullptr) << m;
      }
    std::set<std::string> seen;
    for (const MetricDef& m : f.metrics) {
      SCOPED_TRACE(m.metric);
      EXPECT_NE(std::find(known.begin(), known.end(), m.metric), known.end());
      EXPECT_TRUE(seen.insert(m.metric).second) << "duplicate";
      EXPECT_FALSE(m.provenance.empty());
      EXPECT_FALSE(m.meaning.empty());
      EXPECT_TRUE(counts.count(m.counts)) << m.counts;
      EXPECT_TRUE(scopes.count(std::string(to_string(m.scope)))) << to_string(m.scope);
      EXPECT_TRUE(units.count(m.unit)) << m.unit;
      EXPECT_TRUE(!m.pfm.empty() || m.raw.has_value());
      EXPECT_GT(m.line, 0);
      if (m.metric == "task_clock") {
        EXPECT_EQ(m.unit, "ns");
      }
      if (m.metric == "energy_pkg") {
        EXPECT_EQ(m.unit, "joules");
        EXPECT_FALSE(m.privilege_filter);
        ASSERT_TRUE(m.raw.has_value());
        EXPECT_EQ(m.raw->pmu, "power");
        EXPECT_EQ(m.raw->event, "energy-pkg");
      }
    }
  }
}

// The trap this data exists for: "llc_misses" is declared per vendor, and
// the AMD files never pretend to count L3 misses or to separate stores.
TEST(Events, LlcMeaningsAreDeclaredPerVendor) {
  for (const EventFile& f : shipped_files()) {
    SCOPED_TRACE(f.path);
    const MetricDef* llc = f.find("llc_misses");
    ASSERT_NE(llc, nullptr);
    if (f.uarch.rfind("zen", 0) == 0) {
      EXPECT_NE(llc->meaning.find("NOT an L3 miss count"), std::string::npos);
      EXPECT_EQ(f.find("llc_store_misses"), nullptr) << "AMD core counters cannot separate RFOs";
      EXPECT_EQ(f.find("llc_references"), nullptr);
      if (const MetricDef* l = f.find("llc_load_misses")) {
        EXPECT_EQ(l->counts, "loads+rfo");
      }
    }
    if (f.uarch == "skx" || f.uarch == "icx" || f.uarch == "spr") {
      EXPECT_NE(llc->pfm.find("LONGEST_LAT_CACHE:MISS"), std::string::npos);
      EXPECT_EQ(f.find("llc_load_misses")->counts, "demand-loads");
      EXPECT_EQ(f.find("llc_store_misses")->counts, "rfo");
    }
    if (f.uarch.rfind("neoverse", 0) == 0 || f.uarch == "ampereone") {
      EXPECT_NE(llc->meaning.find("L2 miss count"), std::string::npos);
    }
    if (f.uarch == "generic") {
      EXPECT_NE(llc->meaning.find("NOT necessarily"), std::string::npos);
    }
  }
}

// The core check: on this machine, with the installed libpfm4, every entry
// of every file has a usable encoding.
TEST(Events, EveryEntryEncodesOnThisMachine) {
  for (const EventFile& f : shipped_files()) {
    for (const MetricDef& m : f.metrics) {
      SCOPED_TRACE(f.uarch + " " + m.metric);
      EncodeResult r = encode_metric(m);
      if (m.raw && !m.raw->pmu.empty() && !pmu_present(m.raw->pmu)) {
        // A missing sysfs PMU (RAPL in a VM) is an honest failure, named.
        EXPECT_FALSE(r.event.has_value());
        EXPECT_EQ(r.error, "PMU '" + m.raw->pmu + "' not present in /sys/bus/event_source/devices");
        continue;
      }
      ASSERT_TRUE(r.event.has_value()) << r.error;
      const perf_event_attr& a = r.event->attr;
      EXPECT_EQ(a.size, sizeof(perf_event_attr));
      EXPECT_EQ(a.exclude_user | a.exclude_kernel | a.exclude_hv | a.exclude_guest | a.exclude_host,
                0u)
          << "privilege bits are the counter code's";
      const std::string& via = r.event->via;
      std::string prefix = m.pfm.substr(0, m.pfm.find("::"));
      if (m.pfm.empty()) {
        EXPECT_EQ(via.rfind("raw ", 0), 0u) << via;
      } else if (libpfm_has_table(prefix)) {
        // A table this libpfm4 has (perf:: always; the x86 tables in an x86
        // build, the Arm ones in an arm64 build): the named event itself
        // must encode, not a fallback.
        EXPECT_EQ(via.rfind("libpfm4 " + prefix + "::", 0), 0u) << via;
      } else {
        // The other architecture's tables: the raw fallback, named.
        EXPECT_EQ(via.rfind("raw fallback (", 0), 0u) << via;
      }
    }
  }
}

// Where an entry carries both a libpfm4 string of a core table and a raw
// code, they must be the same event: the raw fallback is not a guess.
// Every such entry whose table this libpfm4 has is compared: the x86 files
// in an x86 build, the Arm files in an arm64 one (under qemu in ctest -L arm64).
TEST(Events, RawFallbacksEqualLibpfmEncodings) {
  int compared = 0, candidates = 0;
  for (const EventFile& f : shipped_files()) {
    for (const MetricDef& m : f.metrics) {
      if (m.pfm.empty() || !m.raw || !m.raw->pmu.empty() || m.pfm.rfind("perf::", 0) == 0) continue;
      if (!libpfm_has_table(m.pfm.substr(0, m.pfm.find("::")))) continue;
      ++candidates;
      EncodeResult r = encode_metric(m);
      SCOPED_TRACE(f.uarch + " " + m.metric + " " + m.pfm);
      ASSERT_TRUE(r.event.has_value()) << r.error;
      ASSERT_EQ(r.event->via.rfind("libpfm4 ", 0), 0u) << r.event->via;
      EXPECT_EQ(r.event->attr.type, static_cast<std::uint32_t>(PERF_TYPE_RAW));
      EXPECT_EQ(r.event->attr.config, m.raw->config);
      EXPECT_EQ(r.event->attr.config1, m.raw->config1);
      EXPECT_EQ(r.event->attr.config2, m.raw->config2);
      ++compared;
    }
  }
  EXPECT_EQ(compared, candidates);
  EXPECT_GE(compared, 10) << "too few entries of this libpfm4's tables to compare";
}

TEST(Events, RawFallbackIsUsedAndNamedWhenLibpfmDoesNotKnowTheEvent) {
  MetricDef m;
  m.metric = "llc_misses";
  m.pfm = "amd64_fam19h_zen4::NO_SUCH_EVENT";
  m.raw = RawEvent{};
  m.raw->config = 0xdc44;
  EncodeResult r = encode_metric(m);
  ASSERT_TRUE(r.event.has_value()) << r.error;
  EXPECT_EQ(r.event->attr.type, static_cast<std::uint32_t>(PERF_TYPE_RAW));
  EXPECT_EQ(r.event->attr.config, 0xdc44u);
  EXPECT_EQ(r.event->via.rfind("raw fallback (raw PERF_TYPE_RAW config=0xdc44), libpfm4: "
                               "amd64_fam19h_zen4::NO_SUCH_EVENT: ",
                               0),
            0u)
      << r.event->via;

  m.raw.reset();
  r = encode_metric(m);
  EXPECT_FALSE(r.event.has_value());
  EXPECT_NE(r.error.find("no raw fallback"), std::string::npos) << r.error;
}

TEST(Events, SysfsPmuEventIsReadAtEncodeTime) {
  std::string root = temp_dir("sysfs");
  write_file(root + "/power/type", "23\n");
  write_file(root + "/power/format/event", "config:0-7\n");
  write_file(root + "/power/events/energy-pkg", "event=0x02\n");
  write_file(root + "/power/events/energy-pkg.scale", "2.3283064365386962890625e-10\n");
  write_file(root + "/power/events/energy-pkg.unit", "Joules\n");
  EnvGuard env("ZS_EVENT_SOURCE_DIR", root);

  MetricDef m;
  m.metric = "energy_pkg";
  m.raw = RawEvent{};
  m.raw->pmu = "power";
  m.raw->event = "energy-pkg";
  m.raw->config = 0x2;
  EncodeResult r = encode_metric(m);
  ASSERT_TRUE(r.event.has_value()) << r.error;
  EXPECT_EQ(r.event->attr.type, 23u);
  EXPECT_EQ(r.event->attr.config, 0x2u);
  EXPECT_DOUBLE_EQ(r.event->scale, 2.3283064365386962890625e-10);
  EXPECT_NE(r.event->via.find("energy-pkg 'event=0x02' -> config=0x2"), std::string::npos)
      << r.event->via;

  // sysfs is authoritative over the file's expectation, and says so.
  m.raw->config = 0x5;
  r = encode_metric(m);
  ASSERT_TRUE(r.event.has_value());
  EXPECT_EQ(r.event->attr.config, 0x2u);
  EXPECT_NE(r.event->via.find("the event file expected 0x5; sysfs is used"), std::string::npos)
      << r.event->via;

  // Multi-range formats fill the ranges low bits first.
  write_file(root + "/power/format/umask", "config:8-11,32-35\n");
  write_file(root + "/power/events/split", "event=0x10,umask=0xab\n");
  m.raw->event = "split";
  r = encode_metric(m);
  ASSERT_TRUE(r.event.has_value()) << r.error;
  EXPECT_EQ(r.event->attr.config, 0x10u | (0xbull << 8) | (0xaull << 32));

  m.raw->event = "energy-gpu";
  r = encode_metric(m);
  EXPECT_FALSE(r.event.has_value());
  EXPECT_EQ(r.error,
            "PMU 'power' has no event 'energy-gpu' (" + root + "/power/events/energy-gpu missing)");

  m.raw->pmu = "amd_l3";
  r = encode_metric(m);
  EXPECT_EQ(r.error, "PMU 'amd_l3' not present in " + root);
}

// ---- malformed files -------------------------------------------------

const char* kHeader =
    "uarch = \"bad\"\n"         // 1
    "description = \"test\"\n"  // 2
    "provenance = \"test\"\n";  // 3

const char* kGoodMetric =
    "\n"                                          // 4
    "[[metric]]\n"                                // 5
    "metric = \"cycles\"\n"                       // 6
    "pfm = \"perf::PERF_COUNT_HW_CPU_CYCLES\"\n"  // 7
    "provenance = \"p\"\n"                        // 8
    "meaning = \"m\"\n"                           // 9
    "counts = \"cycles\"\n"                       // 10
    "scope = \"core\"\n"                          // 11
    "privilege_filter = true\n";                  // 12

std::string load_error(const std::string& content) {
  std::string path = temp_dir("bad") + "/bad.toml";
  write_file(path, content);
  try {
    load_event_file(path);
  } catch (const SetupError& e) {
    return e.what();
  }
  return "(loaded)";
}

std::string bad_path() {
  return ::testing::TempDir() + "/zs_events_" + std::to_string(::getpid()) + "_bad/bad.toml";
}

TEST(EventsBadFile, TheGoodTemplateLoads) {
  EXPECT_EQ(load_error(std::string(kHeader) + kGoodMetric), "(loaded)");
}

TEST(EventsBadFile, UnknownKeySuggestsTheNearestOne) {
  std::string s = std::string(kHeader) + kGoodMetric + "pfmm = \"x\"\n";  // line 13
  EXPECT_EQ(load_error(s), bad_path() + ":13: pfmm: unknown key; did you mean 'pfm'?");
  std::string top = "uarchh = \"x\"\n" + std::string(kHeader) + kGoodMetric;
  EXPECT_EQ(load_error(top), bad_path() + ":1: uarchh: unknown key; did you mean 'uarch'?");
  std::string raw = std::string(kHeader) + kGoodMetric + "raw = { confg = 1 }\n";
  EXPECT_EQ(load_error(raw), bad_path() + ":13: confg: unknown key; did you mean 'config'?");
  std::string far = std::string(kHeader) + kGoodMetric + "colour = \"x\"\n";
  EXPECT_EQ(load_error(far),
            bad_path() +
                ":13: colour: unknown key; allowed: metric, pfm, raw, provenance, meaning, "
                "counts, scope, unit, privilege_filter");
}

TEST(EventsBadFile, UnknownMetricListsTheKnownOnes) {
  std::string s = std::string(kHeader) + kGoodMetric;
  s.replace(s.find("\"cycles\"\npfm"), 8, "\"llc_miss\"");
  EXPECT_EQ(load_error(s),
            bad_path() +
                ":6: metric: unknown 'llc_miss'; did you mean 'llc_misses'? allowed: cycles, "
                "instructions, ref_cycles, llc_misses, llc_references, llc_load_misses, "
                "llc_store_misses, l2_misses, dtlb_load_misses, page_faults, task_clock, "
                "context_switches, energy_pkg");
}

TEST(EventsBadFile, WrongTypeSaysTheExpectedType) {
  std::string s = std::string(kHeader) + kGoodMetric;
  s.replace(s.find("privilege_filter = true"), 23, "privilege_filter = \"yes\"");
  EXPECT_EQ(load_error(s), bad_path() + ":12: privilege_filter: expected a boolean, got a string");
  std::string r = std::string(kHeader) + kGoodMetric + "raw = { config = \"0x3c\" }\n";
  EXPECT_EQ(load_error(r), bad_path() + ":13: config: expected an integer, got a string");
  std::string m = std::string(kHeader) + kGoodMetric;
  m.replace(m.find("meaning = \"m\""), 13, "meaning = 3");
  EXPECT_EQ(load_error(m), bad_path() + ":9: meaning: expected a string, got an integer");
}

TEST(EventsBadFile, IntegersAreBoundedInTheSharedWording) {
  std::string r = std::string(kHeader) + kGoodMetric + "raw = { config = -1 }\n";
  EXPECT_EQ(load_error(r),
            bad_path() + ":13: config: must be in [0, 18446744073709551615], got -1");
  std::string m = std::string(kHeader) +
                  "[[match]]\nname = \"x\"\nvendor = \"AuthenticAMD\"\nfamily = 4294967296\n" +
                  kGoodMetric;
  EXPECT_EQ(load_error(m), bad_path() + ":7: family: must be in [0, 4294967295], got 4294967296");
}

TEST(EventsBadFile, MissingRequiredKeyNamesTheTable) {
  std::string s = std::string(kHeader) + kGoodMetric;
  s.erase(s.find("meaning = \"m\"\n"), 14);
  EXPECT_EQ(load_error(s), bad_path() + ":5: meaning: missing; required in [[metric]]");
  std::string h = std::string(kHeader) + kGoodMetric;
  h.erase(h.find("description"), 21);
  EXPECT_EQ(load_error(h), bad_path() + ":1: description: missing; required in an event file");
}

TEST(EventsBadFile, ValuesOutsideTheAllowedSets) {
  std::string s = std::string(kHeader) + kGoodMetric;
  s.replace(s.find("counts = \"cycles\""), 17, "counts = \"demand\"");
  EXPECT_EQ(
      load_error(s),
      bad_path() +
          ":10: counts: unknown 'demand'; allowed: all, demand-loads, rfo, prefetch, loads+rfo, "
          "stores, cycles, instructions, software, energy");
  std::string p = std::string(kHeader) + kGoodMetric;
  p.replace(p.find("perf::PERF_COUNT_HW_CPU_CYCLES"), 30, "PERF_COUNT_HW_CPU_CYCLES");
  EXPECT_EQ(
      load_error(p).rfind(bad_path() + ":7: pfm: 'PERF_COUNT_HW_CPU_CYCLES' has no PMU prefix", 0),
      0u);
}

TEST(EventsBadFile, DuplicateMetricAndSyntaxErrors) {
  std::string d = std::string(kHeader) + kGoodMetric + kGoodMetric;
  EXPECT_EQ(load_error(d), bad_path() + ":15: metric: 'cycles' is defined twice (first at line 5)");
  std::string syn = std::string(kHeader) + "[[metric]\n";
  EXPECT_EQ(load_error(syn).rfind(bad_path() + ":4: syntax: ", 0), 0u) << load_error(syn);
  EXPECT_EQ(load_error(std::string(kHeader)),
            bad_path() +
                ":1: metric: no [[metric]] tables; a file maps at least "
                "one metric");
}

TEST(EventsBadFile, MissingFileListsTheKnownUarchs) {
  EnvGuard env("ZS_EVENTS_DIR", kEventsDir);
  try {
    load_event_file(kEventsDir + "/nosuch.toml");
    FAIL();
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("no such event file"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("zen4"), std::string::npos);
  }
}

// ---- CPU -> file ------------------------------------------------------

CpuIdentity x86(const char* vendor, unsigned family, unsigned model) {
  CpuIdentity c;
  c.arch = "x86_64";
  c.vendor = vendor;
  c.family = family;
  c.model = model;
  return c;
}

CpuIdentity arm(unsigned implementer, unsigned part) {
  CpuIdentity c;
  c.arch = "arm64";
  c.vendor = "ARM";
  c.implementer = implementer;
  c.part = part;
  return c;
}

TEST(EventsUarch, SyntheticCpusMapToTheirFiles) {
  EnvGuard env("ZS_EVENTS_DIR", kEventsDir);
  struct Case {
    CpuIdentity cpu;
    const char* uarch;
  } cases[] = {
      {x86("AuthenticAMD", 0x17, 0x31), "zen2"},
      {x86("AuthenticAMD", 0x19, 0x01), "zen3"},
      {x86("AuthenticAMD", 0x19, 0x11), "zen4"},
      {x86("AuthenticAMD", 0x19, 0x61), "zen4"},
      {x86("AuthenticAMD", 0x1a, 0x02), "zen5"},
      {x86("GenuineIntel", 6, 0x55), "skx"},
      {x86("GenuineIntel", 6, 0x6a), "icx"},
      {x86("GenuineIntel", 6, 0x8f), "spr"},
      {x86("GenuineIntel", 6, 0xcf), "spr"},
      {arm(0x41, 0xd0c), "neoverse-n1"},
      {arm(0x41, 0xd40), "neoverse-v1"},
      {arm(0x41, 0xd4f), "neoverse-v2"},
      {x86("AuthenticAMD", 0x17, 0x01), "generic"},  // Zen 1
      {x86("GenuineIntel", 6, 0x9e), "generic"},     // Coffee Lake client
      {x86("HygonGenuine", 0x18, 0x00), "generic"},
      {arm(0x41, 0xd49), "neoverse-n2"},
      {arm(0x6d, 0xd49), "neoverse-n2"},  // Azure Cobalt 100
      {arm(0xc0, 0xac3), "ampereone"},
      {arm(0xc0, 0xac4), "ampereone"},
      {arm(0x41, 0xd08), "generic"},  // Cortex-A72 (Graviton 1): no file
      {CpuIdentity{}, "generic"},
  };
  for (const auto& c : cases) {
    UarchChoice ch = uarch_for(c.cpu);
    EXPECT_EQ(ch.uarch, c.uarch) << ch.why;
    EXPECT_FALSE(ch.why.empty());
    EXPECT_EQ(ch.why.find("also matched"), std::string::npos) << ch.why;
  }
  UarchChoice emr = uarch_for(x86("GenuineIntel", 6, 0xcf));
  EXPECT_NE(emr.why.find("-> spr: spr.toml:"), std::string::npos) << emr.why;
  EXPECT_NE(emr.why.find("Emerald Rapids"), std::string::npos) << emr.why;
}

TEST(EventsUarch, OverlappingRulesAreReported) {
  std::string dir = temp_dir("overlap");
  std::string rule = "[[match]]\nname = \"all Zen 4\"\nvendor = \"AuthenticAMD\"\nfamily = 0x19\n";
  std::string body = std::string(kGoodMetric);
  write_file(dir + "/a.toml",
             "uarch = \"a\"\ndescription = \"d\"\nprovenance = \"p\"\n" + rule + body);
  write_file(dir + "/b.toml",
             "uarch = \"b\"\ndescription = \"d\"\nprovenance = \"p\"\n" + rule + body);
  EnvGuard env("ZS_EVENTS_DIR", dir);
  EXPECT_EQ(known_uarchs(), (std::vector<std::string>{"a", "b"}));
  UarchChoice ch = uarch_for(x86("AuthenticAMD", 0x19, 0x11));
  EXPECT_EQ(ch.uarch, "a");
  EXPECT_NE(ch.why.find("also matched, ignored: b"), std::string::npos) << ch.why;
}

TEST(EventsUarch, ThisCpuIsIdentified) {
  CpuIdentity c = this_cpu();
#if defined(__x86_64__)
  EXPECT_EQ(c.arch, "x86_64");
  EXPECT_FALSE(c.vendor.empty());
  EXPECT_GT(c.family, 0u);
#elif defined(__aarch64__)
  EXPECT_EQ(c.arch, "arm64");
  // An arm64 kernel always prints "CPU implementer"; without it this arm64
  // program runs under user-mode emulation on another architecture's kernel
  // (qemu-user), whose emulated CPU reports implementer 0.
  if (test::slurp("/proc/cpuinfo").find("CPU implementer") == std::string::npos)
    GTEST_SKIP() << "/proc/cpuinfo has no 'CPU implementer': emulated (qemu-user), no real MIDR";
  EXPECT_GT(c.implementer, 0u);
#endif
  EnvGuard env("ZS_EVENTS_DIR", kEventsDir);
  UarchChoice ch = uarch_for(c);
  auto known = known_uarchs();
  EXPECT_NE(std::find(known.begin(), known.end(), ch.uarch), known.end()) << ch.why;
}

TEST(EventsLibpfm, VersionAndPmus) {
  std::string v = pfm_version();
  EXPECT_EQ(v.rfind("4.", 0), 0u) << v;
  auto all = pfm_pmus(false);
  auto present = pfm_pmus(true);
  EXPECT_GT(all.size(), present.size());
  bool perf =
      std::any_of(present.begin(), present.end(), [](const PfmPmu& p) { return p.name == "perf"; });
  EXPECT_TRUE(perf) << "libpfm4's generic perf PMU is always present";
}

// ---- zeroscope events -------------------------------------------------

TEST(EventsCli, NamedUarchsResolveEveryMetric) {
  for (const char* u : {"zen4", "spr", "neoverse-n1"}) {
    SCOPED_TRACE(u);
    auto r = zs::testing::run_zeroscope(std::string("events --uarch ") + u + " --json");
    ASSERT_EQ(r.rc, 0) << r.err;
    EXPECT_EQ(r.err, "");
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["uarch"], u);
    EventFile f = load_event_file(kEventsDir + "/" + u + ".toml");
    ASSERT_EQ(j["metrics"].size(), f.metrics.size());
    for (const auto& m : j["metrics"]) {
      SCOPED_TRACE(m["metric"].get<std::string>());
      EXPECT_FALSE(m["meaning"].get<std::string>().empty());
      const auto& e = m["encoding"];
      if (m["raw"].is_object() && !m["raw"]["pmu"].get<std::string>().empty() &&
          !pmu_present(m["raw"]["pmu"].get<std::string>())) {
        EXPECT_EQ(e["kind"], "fails");
        EXPECT_NE(
            e["error"].get<std::string>().find("not present in /sys/bus/event_source/devices"),
            std::string::npos);
      } else {
        EXPECT_TRUE(e["ok"].get<bool>()) << e.dump();
      }
    }
    auto t = zs::testing::run_zeroscope(std::string("events --uarch ") + u);
    ASSERT_EQ(t.rc, 0) << t.err;
    for (const MetricDef& m : f.metrics)
      EXPECT_NE(t.out.find("\n" + m.metric + " "), std::string::npos) << m.metric;
    EXPECT_NE(t.out.find("meaning"), std::string::npos);
  }
}

TEST(EventsCli, DefaultIsThisCpusFileAndSaysWhy) {
  auto r = zs::testing::run_zeroscope("events");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("chosen      "), std::string::npos) << r.out;
}

TEST(EventsCli, EventsFileIsListed) {
  auto r = zs::testing::run_zeroscope("events --events " + kEventsDir + "/zen2.toml");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("uarch       zen2"), std::string::npos);
}

TEST(EventsCli, UnknownUarchIsOneLineListingTheKnownOnes) {
  auto r = zs::testing::run_zeroscope("events --uarch nosuch");
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(zs::testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("--uarch: unknown 'nosuch'; known: ampereone, generic, icx, neoverse-n1"),
            std::string::npos)
      << r.err;
}

TEST(EventsCli, BadEventsFileIsOneLine) {
  std::string path = temp_dir("cli") + "/bad.toml";
  write_file(path, std::string(kHeader) + kGoodMetric + "pfmm = \"x\"\n");
  auto r = zs::testing::run_zeroscope("events --events " + path);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(zs::testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(path + ":13: pfmm: unknown key"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zs
