// The checked-TOML reader shared by sweep files and event files: one
// wording for unknown keys, types, bounds and missing keys, always
// "path:line: key: problem".
#include "common/toml_reader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include <gtest/gtest.h>

#include "common/errors.h"
#include "common/limits.h"

namespace zs {
namespace {

template <class Fn>
std::string error_of(Fn fn) {
  try {
    fn();
  } catch (const SetupError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TomlReader, SyntaxErrorsNameTheLine) {
  TomlReader c("f.toml");
  std::string e = error_of([&] { c.parse("a = 1\nb = \n"); });
  EXPECT_EQ(e.rfind("f.toml:2: syntax: ", 0), 0u) << e;
}

TEST(TomlReader, UnknownKeysSuggestATypoOrListTheKeys) {
  TomlReader c("f.toml");
  toml::table t = c.parse("x = 1\n\nstratgy = 2\n");
  EXPECT_EQ(error_of([&] {
              c.only_keys(t, {"x", "strategy"}, "axes.");
            }),
            "f.toml:3: axes.stratgy: unknown key; did you mean 'strategy'?");
  toml::table u = c.parse("colour = 1\n");
  EXPECT_EQ(error_of([&] {
              c.only_keys(u, {"x", "strategy"}, "");
            }),
            "f.toml:1: colour: unknown key; allowed: x, strategy");
}

TEST(TomlReader, TypesAndBounds) {
  TomlReader c("f.toml");
  toml::table t = c.parse("s = \"a\"\nn = 0\nf = 1.5\nbig = 2000000\n");
  EXPECT_EQ(error_of([&] { c.integer(*t.get("s"), "s", limits::repetitions); }),
            "f.toml:1: s: expected an integer, got a string");
  EXPECT_EQ(error_of([&] { c.integer(*t.get("n"), "n", limits::repetitions); }),
            "f.toml:2: n: must be in [1, 1000000], got 0");
  EXPECT_EQ(error_of([&] { c.integer(*t.get("big"), "big", limits::repetitions); }),
            "f.toml:4: big: must be in [1, 1000000], got 2000000");
  EXPECT_EQ(error_of([&] { c.boolean(*t.get("f"), "f"); }),
            "f.toml:3: f: expected a boolean, got a floating-point number");
  EXPECT_EQ(error_of([&] { c.array(*t.get("n"), "n"); }),
            "f.toml:2: n: expected a list, got an integer");
  // A TOML integer cannot exceed INT64_MAX: a wider bound is clamped, not wrapped.
  EXPECT_EQ(c.integer(*t.get("big"), "big", limits::seed), 2000000u);
}

TEST(TomlReader, ChoicesTablesAndMissingKeys) {
  TomlReader c("f.toml");
  toml::table t = c.parse("b = \"hugetbl\"\nt = 3\n[[r]]\nx = 1\n[[r]]\nx = 2\n");
  EXPECT_EQ(error_of([&] {
              c.choice(*t.get("b"), "b", {"thp", "hugetlb"});
            }),
            "f.toml:1: b: unknown 'hugetbl'; did you mean 'hugetlb'? allowed: thp, hugetlb");
  EXPECT_EQ(c.tables(t.get("r"), "r").size(), 2u);
  EXPECT_TRUE(c.tables(nullptr, "r").empty());
  EXPECT_EQ(error_of([&] { c.tables(t.get("t"), "t"); }),
            "f.toml:2: t: expected [[t]] tables, got an integer");
  EXPECT_EQ(error_of([&] { c.table(t, "t"); }),
            "f.toml:2: t: expected a table ([t]), got an integer");
  EXPECT_EQ(error_of([&] { c.missing(3, "name", "[[r]]"); }),
            "f.toml:3: name: missing; required in [[r]]");
}

// The special files of issue 10 row 6 (a config that was /dev/zero or a
// FIFO hung and grew without bound): refused at once, in a thread given a
// few seconds, so a regression fails instead of hanging the suite.
std::string input_error(const std::string& path) {
  auto f = std::async(std::launch::async,
                      [path] { return error_of([&] { read_input_file(path, "sweep file"); }); });
  if (f.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    ADD_FAILURE() << path << ": still reading after 5 s";
    std::_Exit(1);  // the reader is stuck; nothing else can be trusted
  }
  return f.get();
}

class InputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("zs-input-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(InputFile, SpecialFilesAreRefusedAtOnce) {
  EXPECT_EQ(input_error("/dev/zero"),
            "/dev/zero: cannot read the sweep file: a character device, not a regular file; give "
            "the path of a .toml file");
  EXPECT_EQ(input_error("/dev/urandom")
                .rfind("/dev/urandom: cannot read the sweep file: a "
                       "character device, not a regular file",
                       0),
            0u);
  const std::string fifo = path("fifo.toml");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(input_error(fifo), fifo +
                                   ": cannot read the sweep file: a FIFO, not a regular file; "
                                   "give the path of a .toml file");
  EXPECT_EQ(input_error(dir_.string()),
            dir_.string() +
                ": cannot read the sweep file: a directory, not a regular file; give the path of "
                "a .toml file");
  EXPECT_EQ(input_error(path("missing.toml")),
            path("missing.toml") + ": cannot read the sweep file: No such file or directory");
}

TEST_F(InputFile, AtMostOneMebibyte) {
  const std::string ok = path("ok.toml"), big = path("big.toml");
  std::ofstream(ok) << std::string(kMaxInputFile, '#');
  EXPECT_EQ(read_input_file(ok, "sweep file").size(), kMaxInputFile);
  std::ofstream(big) << std::string(kMaxInputFile + 1, '#');
  EXPECT_EQ(input_error(big), big +
                                  ": cannot read the sweep file: 1048577 bytes is over the limit "
                                  "of 1048576 bytes (1 MiB); give a sweep file of at most 1 MiB");
}

TEST(TomlReader, MessagesStayOneLine) {
  TomlReader c("f.toml");
  toml::table t = c.parse("s = \"a\\nb\\u001b\"\n");
  EXPECT_EQ(error_of([&] {
              c.choice(*t.get("s"), "s", {"x", "y"});
            }),
            "f.toml:1: s: unknown 'a\\nb\\x1b'; allowed: x, y");
}

TEST(TomlReader, RangesStateBothBounds) {
  TomlReader c("f.toml");
  toml::table t = c.parse("neg = -1\nbig = 1048577\n");
  EXPECT_EQ(error_of([&] { c.integer(*t.get("neg"), "neg", limits::seed); }),
            "f.toml:1: neg: must be in [0, 18446744073709551615], got -1");
  EXPECT_EQ(error_of([&] { c.integer(*t.get("big"), "big", limits::cpu); }),
            "f.toml:2: big: must be in [0, 1048576], got 1048577");
}

TEST(Label, SameRuleForFlagAndConfig) {
  EXPECT_EQ(label_problem("all-settings_1.0"), std::nullopt);
  EXPECT_EQ(label_problem(std::string(kLabelMax, 'x')), std::nullopt);
  EXPECT_EQ(label_problem(std::string(kLabelMax + 1, 'x')),
            "a label of 65 characters is too long; at most 64, use letters, digits, '-', '_', "
            "'.'");
  EXPECT_EQ(label_problem("../../x"),
            "'../../x' cannot be a directory suffix; use letters, digits, '-', '_', '.'");
  EXPECT_EQ(label_problem("a\nb"),
            "'a\\nb' cannot be a directory suffix; use letters, digits, '-', '_', '.'");
  EXPECT_NE(label_problem(""), std::nullopt);
}

}  // namespace
}  // namespace zs
