// `zeroscope compare --ignore`: repeated and comma-separated axes, a
// kernel-fault run against a run of the replica's strategy, zero matched
// points as an error, and labels never cut mid-word. On checked-in results
// (regenerate the golden, from the source root, with:
//   F=tests/fixtures/results; build/zeroscope compare $F/strategy-kernel-fault
//   $F/strategy-left-right --ignore strategy > tests/fixtures/golden/compare-kernel-fault.txt).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "report/compare_labels.h"
#include "support/files.h"
#include "support/run_binary.h"

namespace zs {
namespace {

const std::string F = "tests/fixtures/results/";

testing::Result run(const std::string& args) {
  return testing::run_zeroscope(args, {"cd '" + std::string(ZS_SOURCE_DIR) + "' &&", ""});
}

std::string golden(const std::string& name) { return test::fixture_text("golden", name); }

TEST(CompareLabels, FittingLabelsArePadded) {
  EXPECT_EQ(label_cells({"upstream", "stosb", "first"}, {12, 6, 6}), "upstream     stosb  first ");
}

TEST(CompareLabels, AWideLabelGoesWholeOnItsOwnLine) {
  EXPECT_EQ(label_cells({"left-right>kernel-fault", "-", "first"}, {12, 6, 6}),
            "left-right>kernel-fault\n             -      first ");
}

TEST(CliCompare, KernelFaultMatchesTheReplicaWhenStrategyIsIgnored) {
  auto r =
      run("compare " + F + "strategy-kernel-fault " + F + "strategy-left-right --ignore strategy");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, golden("compare-kernel-fault.txt"));
  EXPECT_NE(r.out.find("Holm-adjusted over 2 comparisons"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Every point is on every side."), std::string::npos) << r.out;
  // The label is whole, never "kernel-fault>l".
  EXPECT_NE(r.out.find("kernel-fault>left-right\n"), std::string::npos) << r.out;
}

TEST(CliCompare, IgnoreIsRepeatableAndCommaSeparated) {
  const std::string dirs = "compare " + F + "strategy-sequential " + F + "strategy-extent";
  auto comma = run(dirs + " --ignore strategy,cache");
  auto repeated = run(dirs + " --ignore strategy --ignore cache");
  ASSERT_EQ(comma.rc, 0) << comma.err;
  ASSERT_EQ(repeated.rc, 0) << repeated.err;
  EXPECT_EQ(comma.out, repeated.out);
  EXPECT_NE(comma.out.find("--ignore strategy,cache"), std::string::npos) << comma.out;
  auto help = run("compare --help");
  EXPECT_NE(help.out.find("--ignore strategy --ignore primitive"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--ignore strategy,primitive"), std::string::npos) << help.out;
}

TEST(CliCompare, NoMatchedPointIsAnErrorThatSaysWhyAndWhatToTry) {
  auto r = run("compare " + F + "strategy-kernel-fault " + F + "strategy-left-right");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("they share no value of strategy (kernel-fault vs left-right)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("try --ignore strategy"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace zs
