// The fleet.json reader (results/fleet_dir.h) and the fleet's hosts by
// vendor (report/fleet_hosts.h) on tests/fixtures/fleet/, and the damaged
// fleet directories of tests/fixtures/fleet/damaged/ refused in one line.
#include "results/fleet_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "report/fleet_hosts.h"
#include "support/files.h"
#include "support/run_binary.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

const std::string kFleet =
    std::string(ZS_SOURCE_DIR) + "/tests/fixtures/fleet/fleet-20261129-013000";

TEST(FleetDir, ReadsHostsInFleetJsonOrderAndIgnoresUnknownKeys) {
  ASSERT_TRUE(is_fleet_dir(kFleet));
  EXPECT_FALSE(is_fleet_dir(std::string(ZS_SOURCE_DIR) + "/tests/fixtures/results/quick-a"));
  const FleetDir f = read_fleet_dir(kFleet);  // fleet.json has a key this reader does not know
  EXPECT_EQ(f.name, "fleet-20261129-013000");
  EXPECT_EQ(f.config, "tests/fixtures/results/quick.toml");
  EXPECT_TRUE(f.run_options.empty());
  ASSERT_EQ(f.hosts.size(), 5u);
  const std::vector<std::string> order = {"lab-epyc", "lab-xeon", "lab-n1", "lab-old",
                                          "lab-xeon-2"};
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(f.hosts[i].name, order[i]);
  EXPECT_EQ(f.completed().size(), 4u);
  const FleetHost& old = f.hosts[3];
  EXPECT_EQ(old.status, "failed");
  EXPECT_FALSE(old.completed());
  EXPECT_TRUE(old.results.empty());
  EXPECT_NE(old.reason.find("lost the connection"), std::string::npos);
  const FleetHost& xeon = f.hosts[1];
  EXPECT_EQ(xeon.groups, (std::vector<std::string>{"intel", "lab"}));
  EXPECT_TRUE(fs::path(xeon.results).is_absolute());
  EXPECT_TRUE(fs::is_regular_file(xeon.results + "/meta.json"));
  EXPECT_EQ(xeon.results_path, kFleet + "/lab-xeon");
}

TEST(FleetHosts, VendorFromTheCapabilityRecordNotTheGroups) {
  using nlohmann::json;
  auto meta = [](json cpu) { return json{{"capability", {{"cpu", cpu}}}}; };
  EXPECT_EQ(vendor_of(meta({{"vendor", "GenuineIntel"}, {"arch", "x86_64"}})), "Intel");
  EXPECT_EQ(vendor_of(meta({{"vendor", "AuthenticAMD"}, {"arch", "x86_64"}})), "AMD");
  EXPECT_EQ(vendor_of(meta({{"vendor", "HygonGenuine"}})), "Hygon");
  EXPECT_EQ(vendor_of(meta({{"vendor", "CentaurHauls"}})), "CentaurHauls");
  EXPECT_EQ(vendor_of(meta({{"vendor", "Ampere"}, {"arch", "arm64"}})), "Ampere (arm64)");
  EXPECT_EQ(vendor_of(meta({{"vendor", nullptr}})), "unknown vendor");
  EXPECT_EQ(vendor_of(json::object()), "unknown vendor");

  // fleet.json's order is AMD, Intel, ARM, (failed), Intel: the Intel hosts come together.
  const FleetHosts f = load_fleet_hosts(kFleet, false);
  std::vector<std::string> names, vendors;
  for (const LoadedHost& h : f.hosts) names.push_back(h.host.name);
  EXPECT_EQ(names, (std::vector<std::string>{"lab-epyc", "lab-xeon", "lab-xeon-2", "lab-n1"}));
  EXPECT_EQ(f.vendors, (std::vector<std::string>{"AMD", "Intel", "ARM (arm64)"}));
  ASSERT_EQ(f.not_completed.size(), 1u);
  EXPECT_EQ(f.not_completed[0].name, "lab-old");
}

// tests/fixtures/fleet/damaged/expected.txt: CASE: MESSAGE | accepted.
std::vector<std::pair<std::string, std::string>> damaged_cases() {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(test::fixture_text("fleet/damaged", "expected.txt"));
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#')
      out.push_back({line.substr(0, line.find(": ")), line.substr(line.find(": ") + 2)});
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

TEST(FleetDir, DamagedFleetDirectoriesAreRefusedInOneLine) {
  const auto cases = damaged_cases();
  ASSERT_GE(cases.size(), 15u);
  const fs::path root = test::fresh_test_dir("fleet_damaged_");
  for (const auto& [name, expect] : cases) {
    SCOPED_TRACE(name);
    const fs::path dir = root / name;
    fs::copy(kFleet, dir, fs::copy_options::recursive);
    fs::remove(dir / "fleet.json");
    if (name == "directory") fs::create_directory(dir / "fleet.json");
    const fs::path src =
        fs::path(ZS_SOURCE_DIR) / "tests/fixtures/fleet/damaged" / (name + ".json");
    if (fs::exists(src)) fs::copy_file(src, dir / "fleet.json");
    const auto r = testing::run_zeroscope("report --by host " + dir.string());
    if (expect == "accepted") {
      EXPECT_EQ(r.rc, 0) << r.err;
      continue;
    }
    EXPECT_EQ(r.rc, 2);
    EXPECT_EQ(r.err, "zeroscope report: " + replace_all(expect, "DIR", dir.string()) + "\n");
    EXPECT_TRUE(r.out.empty()) << r.out;
    // The library's own message names the option, not the flag: the CLI renders it.
    if (name == "missing") {
      try {
        read_fleet_dir(dir.string());
        ADD_FAILURE() << "accepted";
      } catch (const SetupError& e) {
        EXPECT_EQ(std::string(e.what()).find("--by"), std::string::npos) << e.what();
      }
    }
  }
}

TEST(FleetDir, AnUnknownStatusIsNotCompleted) {
  const fs::path dir = test::fresh_test_dir("fleet_status_") / "fleet";
  fs::copy(kFleet, dir, fs::copy_options::recursive);
  fs::remove(dir / "fleet.json");
  fs::copy_file(
      fs::path(ZS_SOURCE_DIR) / "tests/fixtures/fleet/damaged/unknown-keys-and-status.json",
      dir / "fleet.json");
  const FleetDir f = read_fleet_dir(dir.string());
  EXPECT_EQ(f.hosts[1].status, "migrated");
  EXPECT_FALSE(f.hosts[1].completed());
  EXPECT_EQ(f.completed().size(), 3u);
}

TEST(FleetDir, ControlCharactersInAHostNameAreEscaped) {
  const fs::path dir = test::fresh_test_dir("fleet_name_") / "fleet";
  fs::copy(kFleet, dir, fs::copy_options::recursive);
  auto j = nlohmann::ordered_json::parse(test::slurp(dir / "fleet.json"));
  j["hosts"]["lab\x1b[2Jxeon"] = j["hosts"]["lab-xeon"];
  j["hosts"].erase("lab-xeon");
  std::ofstream(dir / "fleet.json") << j.dump(2);
  const FleetDir f = read_fleet_dir(dir.string());
  EXPECT_EQ(f.hosts.back().name, "lab\\x1b[2Jxeon");
  EXPECT_TRUE(f.hosts.back().completed());
  const auto r = testing::run_zeroscope("report --by host " + dir.string());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("lab\\x1b[2Jxeon"), std::string::npos);
}

}  // namespace
}  // namespace zs
