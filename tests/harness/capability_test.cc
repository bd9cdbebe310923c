// The capability record against what the kernel says through /proc and
// /sys, its rule that every null is explained, and `zeroscope info`.
#include "machine/capability.h"

#include <dirent.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

#include "common/parse.h"
#include "machine/record_text.h"
#include "machine/sysfs.h"
#include "support/run_binary.h"

namespace zs {
namespace {

using nlohmann::json;

// One record for the whole program: gathering it calibrates and probes.
const json& record() {
  static const json r = capability_record();
  return r;
}

std::optional<long long> read_int(const std::string& path) {
  auto s = sysfs::read(path);
  if (!s) return std::nullopt;
  return std::stoll(*s);
}

// Every null in `v`, by the record's dotted path.
void nulls(const json& v, const std::string& path, std::vector<std::string>& out) {
  if (v.is_null()) {
    out.push_back(path);
  } else if (v.is_object()) {
    for (const auto& [k, e] : v.items()) nulls(e, path.empty() ? k : path + "." + k, out);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) nulls(v[i], path + "." + std::to_string(i), out);
  }
}

json::json_pointer ptr(std::string path) {
  for (char& c : path)
    if (c == '.') c = '/';
  return json::json_pointer("/" + path);
}

TEST(Capability, HasEveryTopLevelSection) {
  const json& r = record();
  ASSERT_TRUE(r.is_object());
  for (const auto& k : capability_sections()) EXPECT_TRUE(r.contains(k)) << k;
  EXPECT_EQ(r["schema"], kCapabilitySchema);
  EXPECT_TRUE(r["missing"].is_object());
  // What is written to a results directory reads back the same.
  EXPECT_EQ(json::parse(r.dump(2)), r);
}

TEST(Capability, MissingExplainsEveryNullAndNothingElse) {
  const json& r = record();
  std::vector<std::string> found;
  json body = r;
  body.erase("missing");
  nulls(body, "", found);
  // kernel.zeroing's nulls mean "does not apply" (width, batch) or "not
  // covered", said by the entry's own `reason`.
  std::erase_if(found, [](const std::string& p) { return p.rfind("kernel.zeroing.", 0) == 0; });
  for (const json& z : r["kernel"]["zeroing"])
    if (z["strategy"].is_null()) {
      EXPECT_FALSE(z.value("reason", "").empty()) << z.dump();
    }
  const json& missing = r["missing"];
  for (const auto& p : found) {
    ASSERT_TRUE(missing.contains(p)) << p << " is null without a reason";
    ASSERT_TRUE(missing[p].is_string());
    EXPECT_FALSE(missing[p].get<std::string>().empty()) << p;
  }
  for (const auto& [p, why] : missing.items()) {
    ASSERT_TRUE(r.contains(ptr(p))) << "missing names " << p << ", which the record lacks";
    EXPECT_TRUE(r.at(ptr(p)).is_null()) << "missing names " << p << ", which has a value";
  }
}

TEST(Capability, SaysWhetherTheHardwarePmuIsUsableAndWhy) {
  const json& a = record()["perf"]["access"];
  ASSERT_TRUE(a["hardware"].is_boolean());
  ASSERT_TRUE(a["hardware_why"].is_string());
  EXPECT_FALSE(a["hardware_why"].get<std::string>().empty());
  // No core PMU in sysfs (a VM exposing software events only): nothing
  // hardware can be counted, and the record must say so.
  if (!std::filesystem::exists("/sys/bus/event_source/devices/cpu") &&
      !std::filesystem::exists("/sys/bus/event_source/devices/cpu_core") &&
      !std::filesystem::exists("/sys/bus/event_source/devices/armv8_pmuv3_0")) {
    EXPECT_FALSE(a["hardware"].get<bool>()) << a.dump();
    EXPECT_TRUE(record()["perf"]["access"]["rdpmc"].is_null());
  }
  // Counts per thread: a number with its source, or null with a reason.
  if (!a["counters"].is_null()) {
    EXPECT_GT(a["counters"].get<int>(), 0);
  }
}

TEST(Capability, ParanoidAndWatchdogMatchProc) {
  const json& p = record()["perf"];
  auto paranoid = read_int("/proc/sys/kernel/perf_event_paranoid");
  ASSERT_TRUE(paranoid.has_value());
  EXPECT_EQ(p["perf_event_paranoid"].get<long long>(), *paranoid);
  EXPECT_EQ(p["access"]["paranoid"].get<long long>(), *paranoid);
  if (auto nmi = read_int("/proc/sys/kernel/nmi_watchdog")) {
    EXPECT_EQ(p["nmi_watchdog"].get<long long>(), *nmi);
  } else {
    EXPECT_TRUE(p["nmi_watchdog"].is_null());
  }
}

TEST(Capability, ThpMatchesSysfs) {
  const std::string dir = "/sys/kernel/mm/transparent_hugepage";
  const json& t = record()["thp"];
  auto enabled = sysfs::read(dir + "/enabled");
  if (!enabled) {
    EXPECT_TRUE(t["enabled"].is_null());
    GTEST_SKIP() << "kernel without CONFIG_TRANSPARENT_HUGEPAGE";
  }
  EXPECT_EQ(t["enabled"], sysfs::selected(*enabled));
  EXPECT_EQ(t["defrag"], sysfs::selected(sysfs::read(dir + "/defrag").value()));
  EXPECT_EQ(t["pmd_bytes"], sysfs::read_u64(dir + "/hpage_pmd_size").value());
  // Every mTHP size directory with an `enabled` file, with its setting.
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename();
    auto setting = sysfs::read(e.path() / "enabled");
    if (name.rfind("hugepages-", 0) != 0 || !setting) continue;
    ++n;
    auto kb = parse_u64(name.substr(10, name.size() - 12));
    ASSERT_TRUE(kb.has_value()) << name;
    bool seen = false;
    for (const auto& s : t["sizes"])
      if (s["bytes"] == (*kb << 10)) {
        seen = true;
        EXPECT_EQ(s["enabled"], sysfs::selected(*setting)) << name;
      }
    EXPECT_TRUE(seen) << name;
  }
  if (n > 0) {
    EXPECT_EQ(t["sizes"].size(), n);
  }
}

TEST(Capability, HugetlbPoolsMatchSysfs) {
  const std::string dir = "/sys/kernel/mm/hugepages";
  if (!std::filesystem::is_directory(dir)) {
    EXPECT_TRUE(record()["hugetlb"].is_null());
    GTEST_SKIP() << "kernel without CONFIG_HUGETLBFS";
  }
  // Another process (a run, another test suite) may change a pool while
  // the record is taken: compare with sysfs read before and after, and
  // take a fresh record until sysfs held still around it.
  auto read_all = [&] {
    std::vector<std::vector<std::uint64_t>> v;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      const std::string name = e.path().filename();
      if (name.rfind("hugepages-", 0) != 0) continue;
      v.push_back({parse_u64(name.substr(10, name.size() - 12)).value() << 10,
                   sysfs::read_u64(e.path() / "nr_hugepages").value(),
                   sysfs::read_u64(e.path() / "free_hugepages").value(),
                   sysfs::read_u64(e.path() / "resv_hugepages").value(),
                   sysfs::read_u64(e.path() / "surplus_hugepages").value()});
    }
    return v;
  };
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto before = read_all();
    json h = capability_record()["hugetlb"];
    if (read_all() != before) continue;
    ASSERT_EQ(h.size(), before.size());
    for (const auto& b : before) {
      const json* pool = nullptr;
      for (const auto& p : h)
        if (p["page_bytes"] == b[0]) pool = &p;
      ASSERT_NE(pool, nullptr) << b[0];
      EXPECT_EQ((*pool)["total"], b[1]);
      EXPECT_EQ((*pool)["free"], b[2]);
      EXPECT_EQ((*pool)["resv"], b[3]);
      EXPECT_EQ((*pool)["surplus"], b[4]);
    }
    return;
  }
  GTEST_SKIP() << "the hugetlb pools kept changing under the test (another process is using them)";
}

TEST(Capability, CpusNodesAndKernelMatchTheSystem) {
  const json& r = record();
  EXPECT_EQ(r["cpu"]["online"].get<long>(), ::sysconf(_SC_NPROCESSORS_ONLN));
  EXPECT_EQ(r["kernel"]["cmdline"], sysfs::read("/proc/cmdline").value());
  EXPECT_EQ(r["kernel"]["release"], sysfs::read("/proc/sys/kernel/osrelease").value());
  EXPECT_FALSE(r["kernel"]["preemption"]["source"].get<std::string>().empty());
  if (std::filesystem::exists("/sys/devices/system/node/node0")) {
    std::size_t nodes = 0;
    for (const auto& e : std::filesystem::directory_iterator("/sys/devices/system/node"))
      nodes += e.path().filename().string().rfind("node", 0) == 0 &&
               parse_u64(e.path().filename().string().substr(4)).has_value();
    EXPECT_EQ(r["numa"]["per_node"].size(), nodes);
    for (const auto& n : r["numa"]["per_node"])
      EXPECT_GT(n["mem_total_bytes"].get<std::uint64_t>(), 0u);
  }
  EXPECT_FALSE(r["primitives"]["kernel"].get<std::string>().empty());
  EXPECT_FALSE(r["primitives"]["kernel_why"].get<std::string>().empty());
}

TEST(Capability, TscRateHasASource) {
  const json& t = record()["tsc"];
  ASSERT_TRUE(t["source"].is_string());
  EXPECT_FALSE(t["source"].get<std::string>().empty());
  if (t["hz"].is_null()) GTEST_SKIP() << record()["missing"]["tsc.hz"];
  EXPECT_GT(t["hz"].get<double>(), 1e6);
  // A calibrated rate carries its runs and spread; any other does not.
  EXPECT_EQ(t.contains("calibration"), t["source"].get<std::string>().rfind("calibrated", 0) == 0);
}

TEST(Capability, MetricsListEveryProbeWithMeaningOrReason) {
  const json& m = record()["metrics"];
  if (m.is_null()) GTEST_SKIP() << record()["missing"]["metrics"];
  ASSERT_TRUE(m["probes"].is_array());
  EXPECT_FALSE(m["event_file"]["path"].get<std::string>().empty());
  for (const auto& p : m["probes"]) {
    EXPECT_FALSE(p["metric"].get<std::string>().empty());
    if (p["available"].get<bool>()) {
      EXPECT_FALSE(p["via"].get<std::string>().empty()) << p.dump();
    } else {
      EXPECT_FALSE(p["reason"].get<std::string>().empty()) << p.dump();
    }
  }
}

TEST(CapabilityText, ShowsSectionsAndUnknownsWithTheirReason) {
  std::string text = format_capability_text(record());
  for (const char* s : {"CPU", "Kernel", "Timestamp counter", "Performance counters",
                        "Transparent huge pages", "Hugetlb pools", "Caches", "NUMA",
                        "CPU frequency", "Zeroing primitives", "Metrics", "Missing"})
    EXPECT_NE(text.find(std::string("\n") + s + "\n"), std::string::npos) << s;
  EXPECT_EQ(text.find("\x1b["), std::string::npos) << "no colour";
  for (const auto& [path, why] : record()["missing"].items())
    EXPECT_NE(text.find(why.get<std::string>()), std::string::npos) << path;

  json fake = {{"schema", kCapabilitySchema},
               {"cpu", {{"microcode", nullptr}}},
               {"missing", {{"cpu.microcode", "no microcode line (test)"}}}};
  std::string t = format_capability_text(fake);
  EXPECT_NE(t.find("unknown: no microcode line (test)"), std::string::npos) << t;
}

TEST(CapabilityText, SizesExactWhereTheyDivideElseTwoDecimals) {
  EXPECT_EQ(bytes_text(json(32768)), "32 KiB");
  EXPECT_EQ(bytes_text(json(1536)), "1536 B");
  EXPECT_EQ(bytes_text(json(std::uint64_t(32) << 20)), "32 MiB");
  EXPECT_EQ(bytes_text(json((std::uint64_t(3) << 29))), "1536 MiB");
  EXPECT_EQ(bytes_text(json(std::uint64_t(8955621376))), "8.34 GiB");
  EXPECT_EQ(bytes_text(json((std::uint64_t(3) << 19) + 1)), "1.50 MiB");
  EXPECT_EQ(bytes_text(json("x")), "\"x\"");
}

TEST(CapabilityText, AlignsRowsAndContinuationLines) {
  json rec = {{"a", {{"b", true}, {"c", nullptr}, {"list", {"x", "y"}}}},
              {"missing", {{"a.c", "not readable (test)"}}}};
  RecordText t(rec);
  t.section("First");
  t.field("b", "a.b");
  t.field("longer key", "a.c");
  t.section("Second");
  t.row("multi", "one\ntwo");
  t.field("list", "a.list");
  t.field("absent", "a.d");
  EXPECT_EQ(t.render(),
            "First\n"
            "  b           yes\n"
            "  longer key  unknown: not readable (test)\n"
            "\n"
            "Second\n"
            "  multi   one\n"
            "          two\n"
            "  list    x, y\n"
            "  absent  absent from the record\n");
}

TEST(CapabilityCli, InfoJsonParses) {
  auto res = zs::testing::run_zeroscope("info --json");
  ASSERT_EQ(res.rc, 0) << res.err;
  json j = json::parse(res.out);  // throws, failing the test, on invalid JSON
  for (const auto& k : capability_sections()) EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["schema"], kCapabilitySchema);
  EXPECT_NE(res.out.find("\n  \""), std::string::npos) << "pretty-printed, 2 spaces";
}

TEST(CapabilityCli, InfoTextHasTheSections) {
  auto res = zs::testing::run_zeroscope("info");
  ASSERT_EQ(res.rc, 0) << res.err;
  for (const char* s : {"CPU", "Kernel", "Timestamp counter", "Performance counters",
                        "Transparent huge pages", "Hugetlb pools", "Caches", "Metrics"})
    EXPECT_NE(res.out.find(std::string("\n") + s + "\n"), std::string::npos) << s << "\n"
                                                                             << res.out;
}

}  // namespace
}  // namespace zs
