// Damaged results directories (issue 10, rows 11, 12 and 15): the corpus in
// tests/fixtures/damaged (each file: the fixture, the edits, what report
// must say; its README.md says how to write one), then compare on damage and
// on a directory given twice. Each damaged copy is made in a temporary
// directory; the fixtures are never touched.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/files.h"
#include "support/run_binary.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = ZS_SOURCE_DIR;

using test::slurp;

void spit(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\\x") == 0 && i + 4 <= text.size()) {
      out += char(std::stoi(text.substr(i + 2, 2), nullptr, 16));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

struct Case {
  std::string name, base, expect, lenient;
  std::vector<std::string> edits;
};

Case load(const fs::path& file) {
  Case c;
  c.name = file.filename();
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, std::regex("# (\\w+): (.*)"))) continue;
    if (m[1] == "do") c.edits.push_back(m[2]);
    if (m[1] == "base") c.base = m[2];
    if (m[1] == "expect") c.expect = m[2];
    if (m[1] == "lenient") c.lenient = m[2];
  }
  return c;
}

// The word after `n` words of `s`, and the rest after it.
std::string word(const std::string& s, int n) {
  std::istringstream in(s);
  std::string w;
  for (int i = 0; i <= n; ++i) in >> w;
  return w;
}
std::string rest(const std::string& s, int n) {
  std::size_t at = 0;
  for (int i = 0; i < n; ++i) at = s.find(' ', at) + 1;
  return s.substr(at);
}

// A damaged copy of the case's fixture at `dir` (the edits of README.md).
void make(const Case& c, const fs::path& dir) {
  fs::remove_all(dir);
  fs::copy(kSource / "tests/fixtures/results" / c.base, dir, fs::copy_options::recursive);
  std::vector<std::string> lines;
  {
    std::istringstream in(slurp(dir / "samples.csv"));
    for (std::string l; std::getline(in, l);) lines.push_back(l + "\n");
  }
  std::vector<std::string> header;
  {
    std::istringstream in(lines[0].substr(0, lines[0].size() - 1));
    for (std::string cell; std::getline(in, cell, ',');) header.push_back(cell);
  }
  for (const std::string& e : c.edits) {
    const std::string op = word(e, 0);
    auto num = [&](int n) { return std::stoul(word(e, n)); };
    if (op == "append-lines") {
      std::vector<std::string> copy(lines.begin() + long(num(1)) - 1, lines.begin() + long(num(2)));
      lines.insert(lines.end(), copy.begin(), copy.end());
    } else if (op == "insert-line") {
      lines.insert(lines.begin() + long(num(1)) - 1, unescape(rest(e, 2)) + "\n");
    } else if (op == "insert") {
      lines[num(1) - 1].insert(num(2), unescape(rest(e, 3)));
    } else if (op == "set-cell") {
      std::string& l = lines[num(1) - 1];
      std::vector<std::string> cells;
      std::istringstream in(l.substr(0, l.size() - 1));
      for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
      if (l.size() >= 2 && l[l.size() - 2] == ',') cells.push_back("");
      const auto col = std::find(header.begin(), header.end(), word(e, 2)) - header.begin();
      cells[std::size_t(col)] = unescape(rest(e, 3));
      l.clear();
      for (std::size_t i = 0; i < cells.size(); ++i) l += (i ? "," : "") + cells[i];
      l += "\n";
    } else if (op == "keep-lines") {
      lines.resize(num(1));
    } else if (op == "cut-line") {
      lines[num(1) - 1].resize(num(2));
    } else if (op == "cut-tail") {
      std::string all;
      for (const auto& l : lines) all += l;
      lines = {all.substr(0, all.size() - num(1))};
    } else if (op == "meta-status") {
      auto meta = nlohmann::json::parse(slurp(dir / "meta.json"));
      meta["status"] = word(e, 1);
      spit(dir / "meta.json", meta.dump(2));
    } else if (op == "cut-meta") {
      spit(dir / "meta.json", slurp(dir / "meta.json").substr(0, num(1)));
    } else if (op == "remove") {
      fs::remove(dir / word(e, 1));
    } else if (op == "write") {
      spit(dir / word(e, 1), unescape(rest(e, 2)));
    } else {
      FAIL() << c.name << ": unknown edit " << op;
    }
  }
  std::string all;
  for (const auto& l : lines) all += l;
  spit(dir / "samples.csv", all);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size())
    s.replace(at, from.size(), to);
  return s;
}

// "accepted; says: A | B" -> {A, B}
std::vector<std::string> says(const std::string& expect) {
  std::vector<std::string> out;
  std::string s = expect.substr(expect.find("says: ") + 6);
  for (std::size_t at; (at = s.find(" | ")) != std::string::npos; s = s.substr(at + 3))
    out.push_back(s.substr(0, at));
  out.push_back(s);
  return out;
}

class DamagedResults : public ::testing::Test {
 protected:
  void SetUp() override {
    tmp_ = fs::path(::testing::TempDir()) / ("zs_damaged_" + std::to_string(getpid()));
    fs::remove_all(tmp_);
    fs::create_directories(tmp_);
  }
  void TearDown() override { fs::remove_all(tmp_); }
  fs::path tmp_;
};

void expect_outcome(const Case& c, const fs::path& dir, const std::string& want,
                    const std::string& flags, const std::string& refused) {
  const auto r = testing::run_zeroscope("report " + dir.string() + flags + " --format json");
  const std::string what = c.name + flags;
  if (want.rfind("accepted", 0) == 0) {
    ASSERT_EQ(r.rc, 0) << what << ": " << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j.value("notes", std::vector<std::string>{}), says(want)) << what;
    return;
  }
  EXPECT_EQ(r.rc, 2) << what;
  EXPECT_EQ(testing::count_lines(r.err), 1) << what << ": " << r.err;
  const std::string message = want == "refused, the same" ? refused : want;
  EXPECT_EQ(replace_all(r.err, dir.string(), "DIR"), "zeroscope report: " + message + "\n") << what;
}

// Every case: refused with its one line and exit 2 (or accepted, saying
// what it left out), and with --lenient the damaged rows left out and
// counted, or the same refusal where nothing could be reported.
TEST_F(DamagedResults, CorpusGivesTheExpectedLineAndExitCode) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(kSource / "tests/fixtures/damaged")) {
    if (e.path().extension() != ".txt") continue;
    const Case c = load(e.path());
    ASSERT_FALSE(c.base.empty() || c.expect.empty() || c.lenient.empty()) << c.name;
    const fs::path dir = tmp_ / fs::path(c.name).stem();
    make(c, dir);
    expect_outcome(c, dir, c.expect, "", c.expect);
    expect_outcome(c, dir, c.lenient, " --lenient", c.expect);
    ++n;
  }
  EXPECT_GE(n, 15);
}

// The row that moved a median from 50.4 to 54.1 us: duplicated rows are
// refused, and with --lenient the tables are those of the undamaged file.
TEST_F(DamagedResults, LenientTablesAreThoseOfTheUndamagedFile) {
  const fs::path dir = tmp_ / "dup";
  Case c{"dup", "quick-a", "", "", {"append-lines 2 9", "append-lines 40 41"}};
  make(c, dir);
  auto strict = testing::run_zeroscope("report " + dir.string());
  EXPECT_EQ(strict.rc, 2);
  const auto lenient = testing::run_zeroscope("report " + dir.string() + " --lenient");
  ASSERT_EQ(lenient.rc, 0) << lenient.err;
  const auto good =
      testing::run_zeroscope("report " + (kSource / "tests/fixtures/results/quick-a").string());
  auto tables = [](const std::string& out) { return out.substr(out.find("baseline:")); };
  EXPECT_EQ(tables(lenient.out), tables(good.out));
  EXPECT_NE(lenient.out.find("left out 10 damaged rows of samples.csv: 10 duplicated"),
            std::string::npos)
      << lenient.out;
}

TEST_F(DamagedResults, CompareRefusesDamageAndCountsItWhenLenient) {
  const fs::path dir = tmp_ / "dup";
  make(Case{"dup", "quick-b", "", "", {"append-lines 2 3"}}, dir);
  const std::string a = (kSource / "tests/fixtures/results/quick-a").string();
  auto r = testing::run_zeroscope("compare " + a + " " + dir.string());
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(testing::count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(dir.string() + "/samples.csv:130: "), std::string::npos) << r.err;
  r = testing::run_zeroscope("compare " + a + " " + dir.string() + " --lenient");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find(dir.string() + ": left out 2 damaged rows of samples.csv: 2 duplicated"),
            std::string::npos)
      << r.out;
  // csv has no header to say it in: stderr does.
  r = testing::run_zeroscope("compare " + a + " " + dir.string() + " --lenient --format csv");
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.err.find("left out 2 damaged rows"), std::string::npos) << r.err;
}

// Row 15: a directory on both sides, however spelt, is refused.
TEST_F(DamagedResults, CompareRefusesTheSameDirectoryTwice) {
  const std::string f = "tests/fixtures/results/";
  fs::create_directory_symlink(kSource / f / "quick-a", tmp_ / "link");
  const std::string link = (tmp_ / "link").string();
  for (const std::string& args : {f + "quick-a " + f + "quick-a", f + "quick-a ./" + f + "quick-a",
                                  f + "quick-a " + f + "../results/quick-a/", f + "quick-a " + link,
                                  f + "quick-a," + f + "quick-c " + f + "quick-b," + link,
                                  f + "quick-a," + f + "quick-a " + f + "quick-b"}) {
    auto r = testing::run_zeroscope("compare " + args,
                                    {"cd '" + std::string(ZS_SOURCE_DIR) + "' &&", ""});
    EXPECT_EQ(r.rc, 2) << args;
    EXPECT_EQ(testing::count_lines(r.err), 1) << args << ": " << r.err;
    EXPECT_NE(r.err.find("are the same results directory"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace zs
