// Issue 10, rows 6, 7, 13, 14 and 16: input a careless or hostile user
// gives the CLI (special files as configs and event files, long labels,
// output paths that cannot be written, words and numbers out of range) is
// refused at once, before anything is measured, with one line that names
// the cause and the fix, and exit 2. Every command runs under timeout(1):
// a reader that blocks on a FIFO or reads /dev/zero forever fails the test
// (rc 124) instead of hanging the suite.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "support/run_binary.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;
using testing::count_lines;
using testing::Result;

const std::string kQuick = std::string(ZS_SOURCE_DIR) + "/configs/quick.toml";

Result zeroscope(const std::string& args) {
  return testing::run_zeroscope(args, {"timeout 20", ""});
}

// A refusal: exit 2, one line on stderr, containing `what`.
void expect_refused(const Result& r, const std::string& what) {
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(what), std::string::npos) << "expected: " << what << "\ngot: " << r.err;
  EXPECT_EQ(r.err.find("filesystem error"), std::string::npos) << r.err;
}

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = zs::test::fresh_test_dir("zs_hostile_"); }
  void TearDown() override {
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name)) << text;
    return path(name);
  }
  fs::path dir_;
};

// Row 6: a config or event file that is /dev/zero, /dev/urandom, a FIFO or a
// directory hung and grew without bound.
TEST_F(HostileInput, SpecialFilesAsConfigAreRefusedAtOnce) {
  const std::string fifo = path("fifo.toml");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& f : {std::string("/dev/zero"), std::string("/dev/urandom")})
    expect_refused(zeroscope("run " + f + " --dry-run"),
                   f + ": cannot read the sweep file: a character device, not a regular file; "
                       "give the path of a .toml file");
  expect_refused(zeroscope("run " + fifo + " --dry-run"),
                 fifo + ": cannot read the sweep file: a FIFO, not a regular file");
  expect_refused(zeroscope("run " + dir_.string() + " --dry-run"),
                 ": cannot read the sweep file: a directory, not a regular file");
}

TEST_F(HostileInput, SpecialFilesAsEventFileAreRefusedAtOnce) {
  const std::string fifo = path("fifo-events.toml");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  expect_refused(zeroscope("events --events /dev/zero"),
                 "/dev/zero: cannot read the event file: a character device, not a regular file");
  expect_refused(zeroscope("events --events " + fifo),
                 fifo + ": cannot read the event file: a FIFO, not a regular file");
  const std::string cfg = write(
      "ev.toml", "[settings]\nevents = \"" + fifo + "\"\n[axes]\nstrategy = [\"upstream\"]\n");
  expect_refused(zeroscope("run " + cfg + " --dry-run"),
                 cfg + ":2: settings.events: " + fifo +
                     ": cannot read the event file: a FIFO, not a regular file");
}

TEST_F(HostileInput, OversizedConfigIsRefusedBeforeReading) {
  const std::string big = write("big.toml", std::string((1u << 20) + 1, '#'));
  expect_refused(zeroscope("run " + big + " --dry-run"),
                 "1048577 bytes is over the limit of 1048576 bytes (1 MiB)");
}

// Row 7: a 300-character label passed validation, then failed with
// "filesystem error: File name too long".
TEST_F(HostileInput, LongLabelInConfigIsRefusedAtItsLine) {
  const std::string cfg = write("long.toml", "[settings]\nlabel = \"" + std::string(300, 'x') +
                                                 "\"\n[axes]\nstrategy = [\"upstream\"]\n");
  expect_refused(zeroscope("run " + cfg + " --out " + path("res")),
                 cfg + ":2: settings.label: a label of 300 characters is too long; at most 64");
  EXPECT_FALSE(fs::exists(path("res")));
}

// Row 13: measure --csv naming a directory or a file in a missing directory
// measured everything first, then failed.
TEST_F(HostileInput, MeasureCsvIsCheckedBeforeMeasuring) {
  Result r = zeroscope("measure --reps 1000000 --csv " + dir_.string());
  expect_refused(r, "--csv: " + dir_.string() + " is a directory; give a file name");
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = zeroscope("measure --reps 1000000 --csv " + path("missing/x.csv"));
  expect_refused(r, "--csv: " + path("missing/x.csv") + ": the directory " + path("missing") +
                        " does not exist; create it first or choose another place");
  EXPECT_TRUE(r.out.empty()) << r.out;
}

// Row 14: a read-only --out gave a raw filesystem error.
TEST_F(HostileInput, RunOutIsCheckedBeforeMeasuring) {
  const std::string file = write("plain", "x");
  expect_refused(zeroscope("run " + kQuick + " --out " + file + "/res"),
                 "--out: " + file + "/res: " + file + " is not a directory; choose another place");
  const fs::path ro = dir_ / "ro";
  fs::create_directories(ro);
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
  // Root ignores a directory's mode: that case is checked as a user only.
  if (::access(ro.c_str(), W_OK) != 0)
    expect_refused(zeroscope("run " + kQuick + " --out " + (ro / "res").string()),
                   "--out: " + (ro / "res").string() + ": the directory " + ro.string() +
                       " cannot be written: Permission denied; choose another place");
  // /proc cannot be written even by root.
  expect_refused(zeroscope("run " + kQuick + " --out /proc/zeroscope-res"),
                 "--out: /proc/zeroscope-res: the directory /proc cannot be written");
}

// Row 14: messages.
TEST_F(HostileInput, UnknownSubcommandIsNamedWithTheList) {
  Result r = zeroscope("frobnicate");
  expect_refused(r, "unknown subcommand 'frobnicate'; allowed: run, report, compare, measure");
  r = zeroscope("repotr");
  expect_refused(r, "unknown subcommand 'repotr'; did you mean 'report'?");
  r = zeroscope("");
  expect_refused(r, "a subcommand is required; allowed: run, report");
}

TEST_F(HostileInput, OutOfRangeNumbersStateBothBounds) {
  expect_refused(zeroscope("measure --reps 0"),
                 "--reps: 0 is out of range; allowed: an integer "
                 "in [1, 1000000]");
  const std::string cfg =
      write("reps.toml", "[settings]\nrepetitions = 1000001\n[axes]\nstrategy = [\"upstream\"]\n");
  expect_refused(zeroscope("run " + cfg + " --dry-run"),
                 cfg + ":2: settings.repetitions: must be in [1, 1000000], got 1000001");
}

TEST_F(HostileInput, TerabyteSizesParseAndAreComparedWithTheMachine) {
  Result r = zeroscope("measure --llc-size 1024TB");
  expect_refused(r, "--llc-size: '1024TB' (");
  EXPECT_NE(r.err.find("is more than this machine's memory"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not a size"), std::string::npos) << r.err;
}

TEST_F(HostileInput, FullSeedRangeFromFlagAndConfig) {
  // Accepted by the flag's check: the refusal that follows is --csv's.
  expect_refused(zeroscope("measure --seed 18446744073709551615 --csv " + dir_.string()),
                 "--csv: ");
  expect_refused(zeroscope("measure --seed 18446744073709551616"),
                 "--seed: '18446744073709551616' is not a number; allowed: an integer in [0, "
                 "18446744073709551615]");
  const std::string cfg = write(
      "seed.toml", "[settings]\nseed = \"18446744073709551615\"\n[axes]\nstrategy = [\"x\"]\n");
  // The seed is read; the refusal is the strategy's, on line 4.
  expect_refused(zeroscope("run " + cfg + " --dry-run"), cfg + ":4: axes.strategy: unknown 'x'");
}

TEST_F(HostileInput, ZeroDurationSaysWhy) {
  const std::string cfg =
      write("zero.toml", "[settings]\ntime_budget = \"0s\"\n[axes]\nstrategy = [\"upstream\"]\n");
  expect_refused(zeroscope("run " + cfg + " --dry-run"),
                 cfg + ":2: settings.time_budget: '0s' would stop before the first sample");
}

TEST_F(HostileInput, LabelFlagTakesTheConfigsRule) {
  expect_refused(zeroscope("run " + kQuick + " --label ../../x --dry-run"),
                 "--label: '../../x' cannot be a directory suffix; use letters, digits, '-', "
                 "'_', '.'");
  expect_refused(zeroscope("run " + kQuick + " --label " + std::string(65, 'y') + " --dry-run"),
                 "--label: a label of 65 characters is too long; at most 64");
  // A newline in the label is escaped: the error stays one line.
  expect_refused(zeroscope("run " + kQuick + " --label \"$(printf 'a\\nb')\" --dry-run"),
                 "--label: 'a\\nb' cannot be a directory suffix");
  const std::string cfg = write("nl.toml", "[settings]\nlabel = \"a\\nb\"\n");
  expect_refused(zeroscope("run " + cfg + " --dry-run"),
                 cfg + ":2: settings.label: 'a\\nb' cannot be a directory suffix");
}

// Row 16: an empty config ran a default one-point sweep without a word.
TEST_F(HostileInput, ConfigNamingNoAxisIsRefused) {
  const std::string why =
      ": names no axis; a sweep needs at least one [axes] entry, see configs/quick.toml";
  for (const std::string& text :
       {std::string(), std::string("# nothing but a comment\n"),
        std::string("[settings]\nrepetitions = 3\n"), std::string("[axes]\n")}) {
    const std::string cfg = write("empty.toml", text);
    expect_refused(zeroscope("run " + cfg + " --out " + path("res")), cfg + why);
    EXPECT_FALSE(fs::exists(path("res"))) << text;
  }
}

}  // namespace
}  // namespace zs
