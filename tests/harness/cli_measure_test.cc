#include <gtest/gtest.h>

#include "support/run_binary.h"

namespace zs {
namespace {

using testing::count_lines;
using testing::run_zeroscope;

TEST(CliMeasure, ShortRunPrintsAHeaderAndOneRowPerPoint) {
  auto r = run_zeroscope(
      "measure --strategy extent,left-right,kernel-fault --target first,last --reps 3 --warmup 1 "
      "--pool 4");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("# LLC"), std::string::npos);
  EXPECT_NE(r.out.find("verified by"), std::string::npos);
  int rows = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("extent", 0) == 0 || line.rfind("left-right", 0) == 0 ||
        line.rfind("kernel-fault", 0) == 0)
      ++rows;
  EXPECT_EQ(rows, 6);
}

// measure writes no results directory: the residency map is summarised
// after the table, one entry per point, as `report` summarises residency.csv.
TEST(CliMeasure, ResidencyIsSummarisedAfterTheTable) {
  auto r = run_zeroscope(
      "measure --strategy sequential,three-region --target first --access residency --reps 2 "
      "--warmup 0 --pool 4");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto at = r.out.find("Residency right after zeroing");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  sequential     first     2", at), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  three-region   first     2", at), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hot (of 512 pages)", at), std::string::npos) << r.out;
}

TEST(CliMeasure, BadInputIsOneLineAndExit2) {
  const char* cases[] = {
      "measure --backing thq",
      "measure --folio-size 3XB",
      "measure --folio-size 4MB",
      "measure --strategy zigzag",
      "measure --primitive stosw",
      "measure --target 512",
      "measure --target sideways",
      "measure --access neighborhood",
      "measure --op rw",
      "measure --cache hot",
      "measure --reps 0",
      "measure --cpu 4000",
      "measure --node 77",
      "measure --backing mthp --folio-size 3MB",
      "measure --backing hugetlb --folio-size 4MB",
      // Refused as a sweep file and `trace` refuse it: extent takes no width.
      "measure --strategy extent --width 3",
      "measure --batch 0",
      "measure --reps abc",
      // The output is checked before anything is measured.
      "measure --csv /nonexistent-dir/samples.csv",
  };
  for (const char* c : cases) {
    std::string args = c;
    if (args.find("--reps") == std::string::npos) args += " --reps 1";
    auto r = run_zeroscope(args + " --pool 2");
    EXPECT_EQ(r.rc, 2) << c << ": " << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << c << ": " << r.err;
    EXPECT_EQ(r.out, "") << c;
  }
}

}  // namespace
}  // namespace zs
