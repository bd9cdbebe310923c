// `zeroscope trace` as a user runs it: the plan on stdout and nothing else;
// bad input gets one line on stderr naming the flag, and exit code 2.
#include <gtest/gtest.h>

#include <string>

#include "strategies/strategy.h"
#include "support/run_binary.h"

namespace zs {
namespace {

using testing::Result;
Result run(const std::string& args) { return testing::run_zeroscope(args); }
int lines(const std::string& s) { return testing::count_lines(s); }

TEST(CliTrace, PrintsExactlyThePlan) {
  for (const Strategy& s : strategies()) {
    Result r = run("trace --strategy " + std::string(s.name) + " --pages 512 --target 300");
    EXPECT_EQ(r.rc, 0) << r.err;
    const Plan plan = s.plan({512, 300, 2, 0, 4096});
    // An empty plan is said on stderr; stdout holds plan lines only.
    EXPECT_EQ(r.err.empty(), !plan.ops.empty()) << r.err;
    EXPECT_EQ(r.out, format_plan(plan)) << s.name;
  }
  Result r = run("trace --strategy three-region --pages 16 --target 0 --width 2 --batch 5");
  EXPECT_EQ(r.out, "clear 3 5\nresched\nclear 8 5\nresched\nclear 13 3\nresched\nclear 0 3\n");
}

TEST(CliTrace, A1GiBFolioPlan) {
  Result r = run("trace --strategy sequential --pages 262144 --target 0");
  EXPECT_EQ(r.rc, 0);
  EXPECT_EQ(lines(r.out), 2 * 262144);
}

TEST(CliTrace, BadInputIsOneLineNamingTheFlagAndExit2) {
  struct Case {
    const char* args;
    const char* mentions;
  };
  const Case cases[] = {
      {"--strategy foo --pages 8 --target 0", "--strategy"},
      {"--strategy extent --pages 0 --target 0", "--pages"},
      {"--strategy extent --pages -3 --target 0", "--pages"},
      {"--strategy extent --pages abc --target 0", "--pages"},
      {"--strategy extent --pages 8 --target 8", "--target"},
      {"--strategy extent --pages 8 --target -1", "--target"},
      {"--strategy three-region --pages 8 --target 0 --width -1", "--width"},
      {"--strategy three-region --pages 8 --target 0 --width x", "--width"},
      {"--strategy extent --pages 8 --target 0 --batch 0", "--batch"},
      {"--strategy extent --pages 8 --target 0 --batch 1.5", "--batch"},
      {"--strategy left-right --pages 8 --target 0 --batch 2", "--batch"},
      {"--strategy upstream --pages 8 --target 0 --width 3", "--width"},
      {"--pages 8 --target 0", "--strategy"},
      {"--strategy extent --target 0", "--pages"},
      {"--strategy extent --pages 8", "--target"},
      {"--strategy extent --pages 8 --target 0 --frobnicate", "--frobnicate"},
  };
  for (const Case& c : cases) {
    Result r = run(std::string("trace ") + c.args);
    EXPECT_EQ(r.rc, 2) << c.args;
    EXPECT_EQ(r.out, "") << c.args;
    EXPECT_EQ(lines(r.err), 1) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.mentions), std::string::npos) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find("allowed"), std::string::npos) << c.args << ": " << r.err;
  }
}

}  // namespace
}  // namespace zs
