#include <string>

#include <gtest/gtest.h>

#include "common/parse.h"

namespace zs {
namespace {

TEST(ParseU64, AcceptsWholeNumbersOnly) {
  EXPECT_EQ(parse_u64("0"), 0u);
  EXPECT_EQ(parse_u64("512"), 512u);
  EXPECT_EQ(parse_u64("0x200"), 512u);
  EXPECT_EQ(parse_u64("18446744073709551615"), UINT64_MAX);
  for (const char* bad :
       {"", "-1", "+1", " 1", "1 ", "12abc", "abc", "0x", "1.5", "18446744073709551616"})
    EXPECT_EQ(parse_u64(bad), std::nullopt) << bad;
}

TEST(ParseSize, BinaryUnits) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("4KB"), 4096u);
  EXPECT_EQ(parse_size("2MB"), 2u << 20);
  EXPECT_EQ(parse_size("2MiB"), 2u << 20);
  EXPECT_EQ(parse_size("1g"), 1u << 30);
  EXPECT_EQ(parse_size("1TB"), 1ull << 40);
  EXPECT_EQ(parse_size("2TiB"), 2ull << 40);
  EXPECT_EQ(parse_size("3t"), 3ull << 40);
  EXPECT_EQ(parse_size("16777215TB"), 16777215ull << 40);
  for (const char* bad : {"", "MB", "2 MB", "2PB", "-2MB", "99999999999999999999G", "16777216TB"})
    EXPECT_EQ(parse_size(bad), std::nullopt) << bad;
}

TEST(Printable, EscapesControlCharacters) {
  EXPECT_EQ(printable("plain-label_1.0"), "plain-label_1.0");
  EXPECT_EQ(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(printable(std::string("x\x1b[31my\x7f", 8)), "x\\x1b[31my\\x7f");
  EXPECT_EQ(printable(std::string("\0", 1)), "\\x00");
}

}  // namespace
}  // namespace zs
