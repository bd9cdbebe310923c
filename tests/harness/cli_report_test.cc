// `zeroscope report` and `compare` on checked-in results directories,
// against golden output (regenerate, from the source root, with:
//   build/zeroscope report tests/fixtures/results/quick-a >
//   tests/fixtures/golden/report-quick-a.txt build/zeroscope report tests/fixtures/results/quick-a
//   --format markdown > tests/fixtures/golden/report-quick-a.md build/zeroscope compare
//   tests/fixtures/results/quick-a tests/fixtures/results/quick-b >
//   tests/fixtures/golden/compare-quick-a-b.txt build/zeroscope compare
//   tests/fixtures/results/strategy-sequential tests/fixtures/results/strategy-extent --ignore
//   strategy > tests/fixtures/golden/compare-strategy.txt F=tests/fixtures/results; build/zeroscope
//   compare $F/quick-a,$F/quick-c $F/quick-b,$F/quick-d >
//   tests/fixtures/golden/compare-replicates.txt build/zeroscope compare
//   $F/strategy-sequential,$F/strategy-sequential-2 $F/strategy-extent,$F/strategy-extent-2
//   --ignore strategy > tests/fixtures/golden/compare-strategy-replicates.txt
// ) — the bootstrap is seeded, so the output is deterministic.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/files.h"
#include "support/run_binary.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

testing::Result run(const std::string& args) {
  return testing::run_zeroscope(args, {"cd '" + std::string(ZS_SOURCE_DIR) + "' &&", ""});
}

std::string golden(const std::string& name) { return test::fixture_text("golden", name); }

void expect_80_columns(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    EXPECT_LE(line.size(), 80u) << line;
    EXPECT_TRUE(line.empty() || line.back() != ' ') << "trailing space: " << line;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << "no colour in a cover letter: " << line;
  }
}

TEST(CliReport, TextMatchesGoldenAndFitsACoverLetter) {
  auto r = run("report tests/fixtures/results/quick-a");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, golden("report-quick-a.txt"));
  expect_80_columns(r.out);
  EXPECT_NE(r.out.find("not measured:"), std::string::npos);
  EXPECT_NE(r.out.find("(baseline)"), std::string::npos);
}

TEST(CliReport, MarkdownCsvJson) {
  auto md = run("report tests/fixtures/results/quick-a --format markdown");
  ASSERT_EQ(md.rc, 0) << md.err;
  EXPECT_EQ(md.out, golden("report-quick-a.md"));
  auto csv = run("report tests/fixtures/results/quick-a --format csv");
  ASSERT_EQ(csv.rc, 0);
  EXPECT_EQ(csv.out.rfind("group,key,strategy,", 0), 0u);
  EXPECT_EQ(testing::count_lines(csv.out), 1 + 8);
  auto js = run("report tests/fixtures/results/quick-a --format json");
  ASSERT_EQ(js.rc, 0);
  auto j = nlohmann::json::parse(js.out);
  EXPECT_EQ(j["baseline"], "upstream");
  EXPECT_EQ(j["groups"][0]["entries"].size(), 8u);
  // Not measured is said with its reason, never as a zero.
  EXPECT_TRUE(j["not_measured"].contains("cycles"));
  EXPECT_FALSE(j["groups"][0]["entries"][0]["counters_median"].contains("cycles"));
}

TEST(CliReport, BadInputIsOneLineAndExit2) {
  for (const char* args :
       {"report tests/fixtures/results/quick-a --baseline zigzag",
        "report tests/fixtures/results/quick-a --metric llc_missses",
        "report tests/fixtures/results/quick-a --format html", "report /nonexistent",
        "compare tests/fixtures/results/quick-a",
        "compare tests/fixtures/results/quick-a "
        "tests/fixtures/results/quick-b --by cpu",
        "compare tests/fixtures/results/quick-a tests/fixtures/results/quick-b --ignore colour"}) {
    auto r = run(args);
    EXPECT_EQ(r.rc, 2) << args << ": " << r.err;
    EXPECT_EQ(testing::count_lines(r.err), 1) << args << ": " << r.err;
  }
}

// A damaged samples.csv (a line with a cell lost) is refused with its line,
// not half-read into the tables.
TEST(CliReport, DamagedSamplesAreRefusedWithTheLine) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / ("zs_damaged_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::copy(fs::path(ZS_SOURCE_DIR) / "tests/fixtures/results/quick-a", dir,
           fs::copy_options::recursive);
  { std::ofstream(dir / "samples.csv", std::ios::app) << "thp/2097152/extent,thp,2097152\n"; }
  auto r = testing::run_zeroscope("report " + dir.string());
  fs::remove_all(dir);
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("samples.csv:130: 3 cells where the header has 41; the file is damaged"),
            std::string::npos)
      << r.err;
}

TEST(CliCompare, SameConfigTwiceDoesNotCryWolf) {
  auto r = run("compare tests/fixtures/results/quick-a tests/fixtures/results/quick-b");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, golden("compare-quick-a-b.txt"));
  expect_80_columns(r.out);
  // One run per side: the change and its within-run interval, no verdict.
  EXPECT_NE(r.out.find("one run per side: no verdict, run-to-run variance unknown; use "
                       "--replicates"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("No verdict on 8 points: one run per side."), std::string::npos) << r.out;
}

TEST(CliCompare, DifferentStrategiesGiveTheRightSign) {
  auto r =
      run("compare tests/fixtures/results/strategy-sequential "
          "tests/fixtures/results/strategy-extent --ignore strategy");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, golden("compare-strategy.txt"));
  // One extent over the whole folio is faster than page at a time (the
  // sign; with one run per side, no verdict).
  EXPECT_NE(r.out.find("No verdict on 2 points"), std::string::npos) << r.out;
  auto js = nlohmann::json::parse(
      run("compare tests/fixtures/results/strategy-sequential "
          "tests/fixtures/results/strategy-extent --ignore strategy --format json")
          .out);
  for (const auto& e : js["entries"]) EXPECT_LT(e["change"]["estimate"].get<double>(), 0);
}

TEST(CliCompare, ReplicateRunsPerSideCarryRunToRunVariance) {
  const std::string F = "tests/fixtures/results/";
  auto same = run("compare " + F + "quick-a," + F + "quick-c " + F + "quick-b," + F + "quick-d");
  ASSERT_EQ(same.rc, 0) << same.err;
  EXPECT_EQ(same.out, golden("compare-replicates.txt"));
  expect_80_columns(same.out);
  EXPECT_NE(same.out.find("bootstrap over runs"), std::string::npos);
  EXPECT_NE(same.out.find("0 faster, 0 slower"), std::string::npos) << same.out;
  auto diff = run("compare " + F + "strategy-sequential," + F + "strategy-sequential-2 " + F +
                  "strategy-extent," + F + "strategy-extent-2 --ignore strategy");
  ASSERT_EQ(diff.rc, 0) << diff.err;
  EXPECT_EQ(diff.out, golden("compare-strategy-replicates.txt"));
  EXPECT_NE(diff.out.find("2 faster, 0 slower"), std::string::npos) << diff.out;
  // A single run per side says what its intervals leave out.
  EXPECT_NE(run("compare " + F + "quick-a " + F + "quick-b")
                .out.find("run-to-run variance is not in them"),
            std::string::npos);
}

TEST(CliCompare, RefusesDirectoriesThatDifferInMoreThanBy) {
  fs::path tmp = fs::path(::testing::TempDir()) / ("zs_compare_" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  fs::copy(std::string(ZS_SOURCE_DIR) + "/tests/fixtures/results/quick-b", tmp / "other-host",
           fs::copy_options::recursive);
  auto meta = nlohmann::json::parse(std::ifstream(tmp / "other-host" / "meta.json"));
  meta["capability"]["host"]["name"] = "another-machine";
  std::ofstream(tmp / "other-host" / "meta.json") << meta.dump(2);
  const std::string a = std::string(ZS_SOURCE_DIR) + "/tests/fixtures/results/quick-a";
  auto r = testing::run_zeroscope("compare " + a + " " + (tmp / "other-host").string());
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("differ in host"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--by host"), std::string::npos) << r.err;
  r = testing::run_zeroscope("compare " + a + " " + (tmp / "other-host").string() + " --by host");
  EXPECT_EQ(r.rc, 0) << r.err;
  fs::remove_all(tmp);
}

TEST(CliReport, PlotsAreWrittenAsPngAndSvg) {
  if (!fs::exists("/usr/bin/python3") ||
      std::system("/usr/bin/python3 -c 'import matplotlib, scipy' >/dev/null 2>&1") != 0)
    GTEST_SKIP()
        << "/usr/bin/python3 with matplotlib is not installed (apt-get install python3-matplotlib)";
  fs::path tmp = fs::path(::testing::TempDir()) / ("zs_plots_" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::copy(std::string(ZS_SOURCE_DIR) + "/tests/fixtures/results/quick-a", tmp,
           fs::copy_options::recursive);
  auto r = testing::run_zeroscope("report " + tmp.string() + " --plots");
  ASSERT_EQ(r.rc, 0) << r.err;
  int png = 0, svg = 0;
  for (const auto& e : fs::directory_iterator(tmp / "plots")) {
    png += e.path().extension() == ".png" && fs::file_size(e.path()) > 0;
    svg += e.path().extension() == ".svg" && fs::file_size(e.path()) > 0;
  }
  // One figure per question: quick's (cost per strategy at each target); no folio-size fit
  // with one folio size, and the output says so instead of drawing it.
  EXPECT_EQ(png, 1);
  EXPECT_EQ(png, svg);
  EXPECT_TRUE(fs::exists(tmp / "plots" / "cost.png"));
  EXPECT_NE(r.err.find("folio_size: not drawn: a fit of cost against folio size needs two sizes"),
            std::string::npos)
      << r.err;
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace zs
