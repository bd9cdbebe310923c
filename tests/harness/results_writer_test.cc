// The results writer under failing system calls (a seam instead of a full
// disk): a write or fsync that fails throws WriteError, samples.csv is cut
// back to its last whole sample, an atomic rewrite leaves the old file and
// no temporary; and the resume rule that keeps only whole samples, once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "results/results_dir.h"
#include "support/files.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

// Writes up to `budget` bytes, then fails as a full disk would (a short
// write first, then ENOSPC); fsync fails with EIO when asked.
struct FailingOps : FileOps {
  std::size_t budget = 1 << 30;
  bool fail_fsync = false;
  ssize_t write(int fd, const void* buf, std::size_t n) override {
    if (budget == 0) {
      errno = ENOSPC;
      return -1;
    }
    const std::size_t k = std::min(n, budget);
    budget -= k;
    return ::write(fd, buf, k);
  }
  int fsync(int fd) override {
    if (fail_fsync) {
      errno = EIO;
      return -1;
    }
    return ::fsync(fd);
  }
};

SampleRow row(const std::string& key, std::uint64_t rep, const std::string& phase) {
  SampleRow r;
  r.key = key;
  r.rep = rep;
  r.phase = phase;
  r.ns = 1000 + rep;
  return r;
}

using test::slurp;

class ResultsWriter : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = zs::test::fresh_test_dir("zs_writer_"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ResultsWriter, FullDiskMidSampleCutsBackToTheLastWholeSample) {
  const std::string path = (dir_ / "samples.csv").string();
  FailingOps ops;
  SamplesWriter w(path, SamplesLayout{}, ops);
  w.append({row("a", 0, "zero"), row("a", 0, "access")});
  w.sync();
  const std::string whole = slurp(path);
  ops.budget = format_row(row("b", 0, "zero")).size() + 7;  // the zero row and part of access
  try {
    w.append({row("b", 0, "zero"), row("b", 0, "access")});
    FAIL() << "no WriteError";
  } catch (const WriteError& e) {
    EXPECT_NE(std::string(e.what()).find("No space left on device"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
  EXPECT_NE(slurp(path), whole);  // the torn sample is on disk ...
  EXPECT_EQ(w.cut_to_whole_sample(), "");
  EXPECT_EQ(slurp(path), whole);  // ... and gone
  const SamplesFile f = read_samples(path);
  EXPECT_FALSE(f.torn);
  EXPECT_EQ(f.rows.size(), 2u);
}

TEST_F(ResultsWriter, FailedFsyncIsAWriteError) {
  const std::string path = (dir_ / "samples.csv").string();
  FailingOps ops;
  SamplesWriter w(path, SamplesLayout{}, ops);
  ops.fail_fsync = true;
  EXPECT_THROW(w.sync(), WriteError);
  ops.fail_fsync = false;
}

TEST_F(ResultsWriter, AtomicRewriteThatFailsKeepsTheOldFileAndNoTemporary) {
  const std::string dir = dir_.string();
  write_file_atomically(dir, "meta.json", "old\n");
  FailingOps ops;
  ops.budget = 3;
  EXPECT_THROW(write_file_atomically(dir, "meta.json", "a much longer new text\n", ops),
               WriteError);
  EXPECT_EQ(slurp(dir + "/meta.json"), "old\n");
  EXPECT_FALSE(fs::exists(dir + "/.meta.json.tmp"));
  ops.budget = 1 << 20;
  ops.fail_fsync = true;
  EXPECT_THROW(write_json_atomically(dir, "meta.json", nlohmann::json{{"a", 1}}, ops), WriteError);
  EXPECT_EQ(slurp(dir + "/meta.json"), "old\n");
  write_json_atomically(dir, "meta.json", nlohmann::json{{"a", 1}});
  EXPECT_EQ(read_json(dir + "/meta.json")["a"], 1);
}

TEST_F(ResultsWriter, SpaceReserveIsGivenBack) {
  {
    SpaceReserve r(dir_.string(), 4096);
    EXPECT_EQ(fs::file_size(dir_ / ".reserve"), 4096u);
    r.release();
    EXPECT_FALSE(fs::exists(dir_ / ".reserve"));
  }
  { SpaceReserve r(dir_.string(), 10); }
  EXPECT_FALSE(fs::exists(dir_ / ".reserve"));
}

std::vector<std::string> zero_access(const std::string& key) {
  if (key == "k") return {"fault", "access"};
  if (key == "a" || key == "b") return {"zero", "access"};
  return {};
}

TEST(RepairSamples, KeepsOnlyWholeSamplesOnce) {
  SamplesFile f;
  f.rows = {row("a", 0, "zero"),   row("a", 0, "access"),
            row("k", 0, "fault"),  row("a", 0, "zero"),     // duplicated
            row("k", 0, "access"), row("b", 1, "zero"),     // b/1 without access: partial
            row("a", 1, "access"), row("a", 0, "access")};  // a/1 without zero; duplicated
  f.torn = true;
  const SamplesRepair r = repair_samples(f, "samples.csv", zero_access, 2);
  EXPECT_EQ(r.duplicate_rows, 2u);
  EXPECT_EQ(r.partial_samples, 2u);
  EXPECT_TRUE(r.torn_line);
  EXPECT_FALSE(f.torn);
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_EQ(f.rows[0].phase, "zero");
  EXPECT_EQ(f.rows[1].phase, "access");
  EXPECT_EQ(f.rows[2].key, "k");
  EXPECT_EQ(f.rows[3].key, "k");
  const CompletedSamples c = completed_samples(f);
  EXPECT_EQ(c.done.size(), 2u);
}

TEST(RepairSamples, NothingToDoOnAWholeFile) {
  SamplesFile f;
  f.rows = {row("a", 0, "zero"), row("a", 0, "access")};
  EXPECT_FALSE(repair_samples(f, "samples.csv", zero_access, 1).any());
  EXPECT_EQ(f.rows.size(), 2u);
}

TEST(RepairSamples, RefusesRowsTheConfigDoesNotHave) {
  SamplesFile f;
  f.rows = {row("x", 0, "zero")};
  EXPECT_THROW(repair_samples(f, "samples.csv", zero_access, 1), SetupError);
  f.rows = {row("a", 5, "zero")};
  EXPECT_THROW(repair_samples(f, "samples.csv", zero_access, 1), SetupError);
}

}  // namespace
}  // namespace zs
