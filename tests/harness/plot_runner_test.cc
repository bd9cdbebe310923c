// report/plot_runner.h: a program and its arguments, no shell in between.
#include <gtest/gtest.h>

#include <string>

#include "report/plot_runner.h"

namespace zs {
namespace {

TEST(PlotRunner, ReturnsTheExitStatus) {
  EXPECT_EQ(run_program({"/bin/sh", "-c", "exit 0"}).code, 0);
  EXPECT_EQ(run_program({"/bin/sh", "-c", "exit 3"}).code, 3);
  EXPECT_EQ(run_program({"sh", "-c", "exit 2"}).code, 2) << "a bare name is looked up on PATH";
}

TEST(PlotRunner, ArgumentsArriveAsGivenWithoutQuoting) {
  const std::string odd = "it's a \"dir\"; $(false) `x` *";
  EXPECT_EQ(
      run_program({"/bin/sh", "-c", "test \"$1\" = \"$2\" && test $# = 2", "sh", odd, odd}).code,
      0);
}

TEST(PlotRunner, SaysWhyAProgramDidNotRunOrEnded) {
  const ProgramExit missing = run_program({"/nonexistent/python3", "x.py"});
  EXPECT_EQ(missing.code, 127);
  EXPECT_NE(missing.error.find("/nonexistent/python3"), std::string::npos) << missing.error;
  const ProgramExit killed = run_program({"/bin/sh", "-c", "kill -9 $$"});
  EXPECT_EQ(killed.code, 128 + 9);
  EXPECT_FALSE(killed.error.empty());
  EXPECT_EQ(run_program({}).code, 127);
}

}  // namespace
}  // namespace zs
