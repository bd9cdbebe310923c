// The checked-TOML reader shared by sweep files and event files: one
// wording for unknown keys, types, bounds and missing keys, always
// "path:line: key: problem".
#include "common/toml_reader.h"

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
            "f.toml:2: n: must be at least 1, got 0");
  EXPECT_EQ(error_of([&] { c.integer(*t.get("big"), "big", limits::repetitions); }),
            "f.toml:4: big: must be at most 1000000, got 2000000");
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

}  // namespace
}  // namespace zs
