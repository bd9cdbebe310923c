// `zeroscope report --by host FLEETDIR` and `compare --by host FLEETDIR` on
// the fleet fixture (tests/fixtures/fleet/), text and markdown against
// golden output (regenerate, from the source root, with:
//   F=tests/fixtures/fleet/fleet-20261129-013000
//   build/zeroscope report --by host $F > tests/fixtures/golden/report-fleet.txt
//   build/zeroscope report --by host $F --format markdown > tests/fixtures/golden/report-fleet.md
// ) — the bootstrap is seeded, so the output is deterministic.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/files.h"
#include "support/run_binary.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

const std::string kFleet = "tests/fixtures/fleet/fleet-20261129-013000";

testing::Result run(const std::string& args) {
  return testing::run_zeroscope(args, {"cd '" + std::string(ZS_SOURCE_DIR) + "' &&", ""});
}

void expect_80_columns(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    EXPECT_LE(line.size(), 80u) << line;
    EXPECT_TRUE(line.empty() || line.back() != ' ') << "trailing space: " << line;
  }
}

TEST(CliFleetReport, TextMatchesGolden) {
  auto r = run("report --by host " + kFleet);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, test::fixture_text("golden", "report-fleet.txt"));
  expect_80_columns(r.out);
  // Vendors in the order their first host appears, hosts grouped under them.
  const auto amd = r.out.find("  AMD: lab-epyc"),
             intel = r.out.find("  Intel: lab-xeon [intel, lab], lab-xeon-2");
  EXPECT_LT(amd, intel);
  EXPECT_NE(r.out.find("ARM (arm64): lab-n1"), std::string::npos);
  // The failed host with its status and reason, and no column.
  EXPECT_NE(r.out.find("lab-old: failed: lost the connection"), std::string::npos);
  EXPECT_EQ(r.out.find(" lab-old "), std::string::npos);
  // Each host's baseline, and why it is not the replica where it is not.
  EXPECT_NE(r.out.find("lab-epyc: baseline upstream: the replica of its kernel's path"),
            std::string::npos);
  EXPECT_NE(r.out.find("left-right*"), std::string::npos);
  // Fidelity and the capability records.
  EXPECT_NE(r.out.find("replica fidelity:"), std::string::npos);
  EXPECT_NE(r.out.find("lab-n1: replica left-right/dc-zva"), std::string::npos);
  for (const char* field : {"CPU  ", "uarch", "microcode", "kernel", "preemption", "THP",
                            "zeroing thp 2MB", "clear_page", "PMU"})
    EXPECT_NE(r.out.find("\n  " + std::string(field)), std::string::npos) << field;
}

TEST(CliFleetReport, MarkdownMatchesGolden) {
  auto r = run("report --by host " + kFleet + " --format markdown");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, test::fixture_text("golden", "report-fleet.md"));
}

TEST(CliFleetReport, JsonStructureAndNothingUnmeasured) {
  auto r = run("report --by host " + kFleet + " --format json");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["hosts"].size(), 4u);
  EXPECT_EQ(j["hosts"][0]["name"], "lab-epyc");
  EXPECT_EQ(j["hosts"][1]["name"], "lab-xeon");
  EXPECT_EQ(j["hosts"][2]["name"], "lab-xeon-2");
  EXPECT_EQ(j["hosts"][3]["name"], "lab-n1");
  EXPECT_EQ(j["vendors"][1]["vendor"], "Intel");
  EXPECT_EQ(j["vendors"][1]["hosts"].size(), 2u);
  ASSERT_EQ(j["not_completed"].size(), 1u);
  EXPECT_EQ(j["not_completed"][0]["status"], "failed");
  EXPECT_FALSE(j["not_completed"][0]["reason"].get<std::string>().empty());
  ASSERT_EQ(j["groups"].size(), 1u);
  const auto& g = j["groups"][0];
  EXPECT_EQ(g["baselines"]["lab-epyc"]["strategy"], "upstream");
  EXPECT_EQ(g["baselines"]["lab-epyc"]["replica"], false);
  EXPECT_EQ(g["baselines"]["lab-xeon"]["strategy"], "left-right");
  EXPECT_EQ(g["baselines"]["lab-xeon"]["replica"], true);
  ASSERT_EQ(g["rows"].size(), 8u);
  for (const auto& row : g["rows"]) {
    const auto& cell = row["cells"]["lab-n1"];
    if (row["key"] == "thp/2097152/extent/kernel/last/page:write/cold:pool/b0/w-") {
      EXPECT_TRUE(cell.is_null()) << "lab-n1 did not measure it: no number";
      continue;
    }
    ASSERT_TRUE(cell.is_object()) << row["key"];
    if (cell["is_baseline"]) {
      EXPECT_TRUE(cell["ratio"].is_null());
    } else {
      ASSERT_TRUE(cell["ratio"].is_object()) << row["key"];
      EXPECT_LE(cell["ratio"]["lo"].get<double>(), cell["ratio"]["estimate"].get<double>());
      EXPECT_GE(cell["ratio"]["hi"].get<double>(), cell["ratio"]["estimate"].get<double>());
    }
  }
  // Fidelity per host: measured where the replica was, a reason where not.
  EXPECT_TRUE(j["hosts"][1]["fidelity"][0]["ratio"].is_number());
  EXPECT_TRUE(j["hosts"][0]["fidelity"][0]["ratio"].is_null());
  EXPECT_FALSE(j["hosts"][0]["fidelity"][0]["note"].get<std::string>().empty());
  EXPECT_EQ(j["capability"]["lab-n1"]["clear_page"].get<std::string>().rfind("dc-zva", 0), 0u);
  EXPECT_EQ(j["capability"]["lab-xeon"]["microcode"], "0x2b000461");
}

TEST(CliFleetReport, CsvOneRowPerPointAndHost) {
  auto r = run("report --by host " + kFleet + " --format csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out.rfind("group,key,strategy,primitive,target,host,vendor,baseline,", 0), 0u);
  EXPECT_EQ(testing::count_lines(r.out), 1 + 8 * 4);
  // The unmeasured cell: measured 0, no number.
  EXPECT_NE(r.out.find("extent/kernel/last/page:write/cold:pool/b0/w-,extent,kernel,last,lab-n1,"
                       "ARM (arm64),left-right,1,0,,,0,,,,,,"),
            std::string::npos)
      << r.out;
  // The failed host goes to stderr, not into the table.
  EXPECT_NE(r.err.find("host lab-old not completed: failed:"), std::string::npos);
}

TEST(CliFleetReport, AFleetDirectoryWithoutByHostGetsAHint) {
  auto r = run("report " + kFleet);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "zeroscope report: " + kFleet +
                       " is a fleet directory: report its hosts side by side with 'zeroscope "
                       "report --by host " +
                       kFleet + "', or one host with 'zeroscope report " + kFleet + "/HOST'\n");
  r = run("report --by kernel " + kFleet);
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--by: unknown 'kernel'; allowed: host"), std::string::npos);
  r = run("report --by host " + kFleet + " --baseline zigzag");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--baseline: 'zigzag' is not a strategy of any host"), std::string::npos);
  r = run("report --by host " + kFleet + " --metric task_clock");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("--metric: task_clock is not for --by host"), std::string::npos) << r.err;
  // One host of the fleet is an ordinary results directory.
  EXPECT_EQ(run("report " + kFleet + "/lab-xeon").rc, 0);
}

TEST(CliFleetReport, BaselineAskedForIsEveryHosts) {
  auto r = run("report --by host " + kFleet + " --baseline extent --format json");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* h : {"lab-epyc", "lab-xeon", "lab-xeon-2", "lab-n1"})
    EXPECT_EQ(j["groups"][0]["baselines"][h]["strategy"], "extent") << h;
  // lab-n1 has no extent at its last page: nothing to divide by there.
  for (const auto& row : j["groups"][0]["rows"]) {
    if (row["key"] == "thp/2097152/upstream/kernel/last/page:write/cold:pool/b-/w-") {
      EXPECT_EQ(row["cells"]["lab-n1"]["no_ratio"], "no extent point beside it");
    }
  }
}

TEST(CliFleetCompare, AFleetDirectoryIsItsCompletedHostsInVendorOrder) {
  auto r = run("compare --by host " + kFleet + " --format json");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> dirs = j["dirs"];
  EXPECT_EQ(dirs, (std::vector<std::string>{kFleet + "/lab-epyc", kFleet + "/lab-xeon",
                                            kFleet + "/lab-xeon-2", kFleet + "/lab-n1"}));
  // Mixed with a results directory: in place, each host a side.
  r = run("compare --by host tests/fixtures/results/quick-a " + kFleet + " --format json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["dirs"].size(), 5u);
  r = run("compare " + kFleet);
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err, "zeroscope compare: " + kFleet +
                       " is a fleet directory: compare its hosts with --by host\n");
  r = run("compare --by host " + kFleet + ",tests/fixtures/results/quick-a");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("a fleet directory is a side per host"), std::string::npos);
  // The same host twice (the fleet and one of its directories) is one run.
  r = run("compare --by host " + kFleet + " " + kFleet + "/lab-xeon");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("are the same results directory"), std::string::npos);
}

TEST(CliFleetCompare, AFleetOfOneCompletedHostHasNothingToCompare) {
  const fs::path dir = test::fresh_test_dir("fleet_one_") / "fleet";
  fs::copy(fs::path(ZS_SOURCE_DIR) / kFleet, dir, fs::copy_options::recursive);
  auto j = nlohmann::json::parse(test::slurp(dir / "fleet.json"));
  for (const char* h : {"lab-epyc", "lab-n1", "lab-xeon-2"}) j["hosts"][h]["status"] = "pending";
  std::ofstream(dir / "fleet.json") << j.dump(2);
  auto r = run("compare --by host " + dir.string());
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("only lab-xeon completed"), std::string::npos) << r.err;
  r = run("report --by host " + dir.string());
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("hosts: 1 of 5 completed"), std::string::npos);
  EXPECT_NE(r.out.find("lab-epyc: pending: no reason recorded"), std::string::npos);
}

// A completed host's damaged samples.csv is refused as `report` refuses it,
// or left out and said with the host's name under --lenient.
TEST(CliFleetReport, AHostsDamagedSamplesAreRefusedOrSaid) {
  const fs::path dir = test::fresh_test_dir("fleet_lenient_") / "fleet";
  fs::copy(fs::path(ZS_SOURCE_DIR) / kFleet, dir, fs::copy_options::recursive);
  const fs::path csv = dir / "lab-xeon" / "samples.csv";
  std::istringstream in(test::slurp(csv));
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  std::ofstream(csv, std::ios::app) << first << "\n";
  auto r = run("report --by host " + dir.string());
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(r.err.rfind("zeroscope report: " + csv.string() + ":130: ", 0), 0u) << r.err;
  r = run("report --by host " + dir.string() + " --lenient");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("lab-xeon: left out 1 damaged row of samples.csv"), std::string::npos)
      << r.out;
}

// A host that ran `-- --replicates 2` brought back a replicates parent:
// its ratios are over runs, then samples, and the header says how many.
TEST(CliFleetReport, AHostWithReplicateRuns) {
  const fs::path dir = test::fresh_test_dir("fleet_runs_") / "fleet";
  fs::copy(fs::path(ZS_SOURCE_DIR) / kFleet, dir, fs::copy_options::recursive);
  const fs::path host = dir / "lab-epyc";
  fs::rename(host, dir / "rep-1");
  fs::create_directory(host);
  fs::rename(dir / "rep-1", host / "rep-1");
  fs::copy(fs::path(ZS_SOURCE_DIR) / "tests/fixtures/results/quick-c", host / "rep-2",
           fs::copy_options::recursive);
  fs::copy_file(fs::path(ZS_SOURCE_DIR) / "tests/fixtures/replicates/meta.json",
                host / "meta.json");
  auto r = run("report --by host " + dir.string() + " --format json");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["hosts"][0]["runs"], 2);
  EXPECT_EQ(j["hosts"][1]["runs"], 1);
  for (const auto& row : j["groups"][0]["rows"]) {
    const auto& c = row["cells"]["lab-epyc"];
    if (c.is_object() && !c["is_baseline"]) {
      EXPECT_EQ(c["interval"], "runs") << row["key"];
      EXPECT_TRUE(c["ratio"].is_object()) << row["key"];
    }
    if (!row["cells"]["lab-xeon"]["is_baseline"]) {
      EXPECT_EQ(row["cells"]["lab-xeon"]["interval"], "samples");
    }
  }
  r = run("report --by host " + dir.string());
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("AMD: lab-epyc [amd, lab] (2 runs)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("over runs, then samples, for a host with runs"), std::string::npos);
}

TEST(CliFleetReport, PlotsGoIntoTheFleetDirectory) {
  if (!fs::exists("/usr/bin/python3") ||
      std::system("/usr/bin/python3 -c 'import matplotlib, scipy' >/dev/null 2>&1") != 0)
    GTEST_SKIP()
        << "/usr/bin/python3 with matplotlib is not installed (apt-get install python3-matplotlib)";
  const fs::path dir = test::fresh_test_dir("fleet_plots_") / "fleet";
  fs::copy(fs::path(ZS_SOURCE_DIR) / kFleet, dir, fs::copy_options::recursive);
  auto r = testing::run_zeroscope("report --by host " + dir.string() + " --plots");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\nplots:\n"), std::string::npos);
  for (const char* ext : {".png", ".svg", ".json"})
    EXPECT_GT(fs::file_size(dir / "plots" / (std::string("compare_machines") + ext)), 0u) << ext;
  const auto side = nlohmann::json::parse(test::slurp(dir / "plots" / "compare_machines.json"));
  EXPECT_EQ(side["panels"], 4);  // the completed hosts; the failed one is in the footnote
  EXPECT_FALSE(side["outside"]);
}

}  // namespace
}  // namespace zs
