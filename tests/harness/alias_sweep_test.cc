// `zeroscope run` of a tiny sweep of the alias strategies end to end: THP
// 2 MiB, alias-range and alias-page, 3 repetitions: every zero row carries
// its mapping-only time (alias_map_ns), the report has its alias section,
// and alias points on a backing without a memfd pool are refused in one
// line before anything is measured. Where shmem THP is not allowed and
// cannot be enabled (not root), the refusal names the fix and the test
// skips with it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "results/samples_schema.h"
#include "support/run_binary.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

class AliasSweep : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = zs::test::fresh_test_dir("zs_alias_"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string config(const std::string& backing, bool shootdown) {
    std::string path = (dir_ / "alias.toml").string();
    std::ofstream(path) << "[settings]\nrepetitions = 3\nwarmup = 1\nseed = 7\npool = 4\n"
                        << (shootdown ? "shootdown = true\n" : "") << "\n[axes]\nbacking = [\""
                        << backing
                        << "\"]\nfolio_size = [\"2MB\"]\nstrategy = [\"alias-range\", "
                           "\"alias-page\"]\ntarget = [\"first\"]\naccess = [\"page\"]\n";
    return path;
  }
  std::string out() const { return (dir_ / "res").string(); }
  fs::path dir_;
};

TEST_F(AliasSweep, ThpAliasRangeAndAliasPageRunAndReport) {
  const std::string flags = geteuid() == 0 ? " --enable-shmem-thp" : "";
  auto r = testing::run_zeroscope("run " + config("thp", false) + " --out " + out() + flags);
  if (r.rc != 0 && r.err.find("shmem THP") != std::string::npos) GTEST_SKIP() << r.err;
  ASSERT_EQ(r.rc, 0) << r.err;
  const SamplesFile f = read_samples(out() + "/samples.csv");
  ASSERT_EQ(f.rows.size(), 2u * 3 * 2);  // 2 strategies x 3 reps x 2 phases
  for (const SampleRow& row : f.rows) {
    SCOPED_TRACE(row.key + " " + row.phase);
    EXPECT_EQ(row.alias_map_ns.has_value(), row.phase == "zero");
    EXPECT_EQ(row.left_out, "");
    EXPECT_EQ(row.huge, true);
  }
  auto rep = testing::run_zeroscope("report " + out());
  ASSERT_EQ(rep.rc, 0) << rep.err;
  EXPECT_NE(rep.out.find("Alias-mapped zeroing"), std::string::npos) << rep.out;
  EXPECT_NE(rep.out.find("alias-page / alias-range: "), std::string::npos) << rep.out;
  EXPECT_NE(rep.out.find("shootdown: off"), std::string::npos) << rep.out;
}

// One CPU allowed (taskset): no second CPU for the sibling, refused before
// any sample with the cause and the fix.
TEST_F(AliasSweep, ShootdownWithOneAllowedCpuIsRefused) {
  if (std::system("taskset -c 0 true >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "taskset cannot restrict this process to CPU 0 here";
  const std::string flags = geteuid() == 0 ? " --enable-shmem-thp" : "";
  testing::RunOptions pinned;
  pinned.env = "taskset -c 0";  // a command prefix, as env assignments are
  auto r = testing::run_zeroscope("run " + config("thp", true) + " --out " + out() + flags, pinned);
  ASSERT_NE(r.rc, 0);
  if (r.err.find("shmem THP") != std::string::npos) GTEST_SKIP() << r.err;
  EXPECT_NE(r.err.find("shootdown: only CPU 0 is allowed to this process (0), and a shootdown "
                       "needs a sibling thread on a second CPU"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out() + "/samples.csv"));
}

TEST_F(AliasSweep, AliasPointsOnMthpAreRefusedInOneLine) {
  auto r = testing::run_zeroscope("run " + config("mthp", false) + " --out " + out());
  ASSERT_NE(r.rc, 0);
  EXPECT_NE(r.err.find("alias strategies zero a memfd-backed folio"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out() + "/samples.csv"));
}

// The dry run says what the run would refuse without --enable-shmem-thp,
// and nothing with it.
TEST_F(AliasSweep, TheDryRunNamesAMissingShmemThp) {
  auto without = testing::run_zeroscope("run --dry-run " + config("thp", false));
  ASSERT_EQ(without.rc, 0) << without.err;
  if (without.out.find("# the run would refuse alias-range: shmem THP 2 MiB:") == std::string::npos)
    GTEST_SKIP() << "shmem THP 2 MiB is allowed here already: nothing to refuse\n" << without.out;
  EXPECT_NE(without.out.find("rerun with --enable-shmem-thp as root"), std::string::npos)
      << without.out;
  auto with = testing::run_zeroscope("run --dry-run --enable-shmem-thp " + config("thp", false));
  ASSERT_EQ(with.rc, 0) << with.err;
  EXPECT_EQ(with.out.find("would refuse"), std::string::npos) << with.out;
}

}  // namespace
}  // namespace zs
