// sysfs helpers on ordinary temporary files: what they read, write and
// select, and that a failure names the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "machine/sysfs.h"

namespace zs {
namespace {

std::string temp_file(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/zs_sysfs_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path) << content;
  return path;
}

TEST(Sysfs, ReadDropsTheTrailingNewline) {
  EXPECT_EQ(sysfs::read(temp_file("a", "always [madvise] never\n")), "always [madvise] never");
  EXPECT_EQ(sysfs::read(temp_file("b", "0")), "0");
  EXPECT_EQ(sysfs::read(temp_file("c", "")), "");
}

TEST(Sysfs, ReadOfAMissingFileIsNullopt) {
  EXPECT_EQ(sysfs::read(::testing::TempDir() + "/zs_no_such_dir/x"), std::nullopt);
  EXPECT_EQ(sysfs::read_u64(::testing::TempDir() + "/zs_no_such_dir/x"), std::nullopt);
}

TEST(Sysfs, ReadU64TakesOnlyWholeNumbers) {
  EXPECT_EQ(sysfs::read_u64(temp_file("n", "2097152\n")), 2097152u);
  EXPECT_EQ(sysfs::read_u64(temp_file("x", "12abc\n")), std::nullopt);
  EXPECT_EQ(sysfs::read_u64(temp_file("e", "\n")), std::nullopt);
}

TEST(Sysfs, ReadI64TakesWholeSignedNumbers) {
  EXPECT_EQ(sysfs::read_i64(temp_file("p", "-1\n")), -1);  // perf_event_paranoid
  EXPECT_EQ(sysfs::read_i64(temp_file("q", "2\n")), 2);
  EXPECT_EQ(sysfs::read_i64(temp_file("r", "1 2\n")), std::nullopt);
  EXPECT_EQ(sysfs::read_i64(temp_file("s", "\n")), std::nullopt);
  EXPECT_EQ(sysfs::read_i64(::testing::TempDir() + "/zs_no_such_dir/x"), std::nullopt);
}

TEST(Sysfs, HugepagesDirectoryNames) {
  EXPECT_EQ(sysfs::hugepages_dir_bytes("hugepages-2048kB"), 2u << 20);
  EXPECT_EQ(sysfs::hugepages_dir_bytes("hugepages-1048576kB"), 1u << 30);
  EXPECT_EQ(sysfs::hugepages_dir_bytes("hugepages-64kB"), 64u << 10);
  EXPECT_EQ(sysfs::hugepages_dir_bytes("hugepages-kB"), 0u);
  EXPECT_EQ(sysfs::hugepages_dir_bytes("hugepages-2048MB"), 0u);
  EXPECT_EQ(sysfs::hugepages_dir_bytes("enabled"), 0u);
}

TEST(Sysfs, WriteReplacesTheContent) {
  std::string path = temp_file("w", "a much longer original value\n");
  EXPECT_EQ(sysfs::write(path, "64"), std::nullopt);
  EXPECT_EQ(sysfs::read(path), "64");
}

TEST(Sysfs, WriteFailureNamesTheFile) {
  std::string path = ::testing::TempDir() + "/zs_no_such_dir/nr_hugepages";
  auto err = sysfs::write(path, "1");
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->rfind(path + ": ", 0), 0u) << *err;
  EXPECT_NE(err->find("No such file"), std::string::npos) << *err;
}

TEST(Sysfs, SelectedIsTheBracketedWord) {
  EXPECT_EQ(sysfs::selected("always [madvise] never"), "madvise");
  EXPECT_EQ(sysfs::selected("[always] inherit madvise never"), "always");
  EXPECT_EQ(sysfs::selected("always defer defer+madvise madvise [never]"), "never");
  EXPECT_EQ(sysfs::selected("2097152"), "2097152");
  EXPECT_EQ(sysfs::selected(""), "");
}

TEST(Sysfs, ReadsTheRealKernelFiles) {
  auto v = sysfs::read("/proc/sys/kernel/ostype");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, "Linux");
}

}  // namespace
}  // namespace zs
