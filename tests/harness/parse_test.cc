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
  for (const char* bad : {"", "MB", "2 MB", "2TB", "-2MB", "99999999999999999999G"})
    EXPECT_EQ(parse_size(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace zs
