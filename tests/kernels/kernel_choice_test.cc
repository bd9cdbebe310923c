// The kernel-primitive decisions for both architectures, from fake CPU
// facts, so arm64's logic is covered on an x86 host and vice versa.
#include <gtest/gtest.h>

#include "primitives/kernel_choice.h"

namespace zs {
namespace {

TEST(KernelChoiceX86, FollowsClearPageAlternatives) {
  EXPECT_EQ(x86_kernel_choice(true, true, "t").name, "stosb");
  EXPECT_EQ(x86_kernel_choice(true, false, "t").name, "stosb");
  EXPECT_EQ(x86_kernel_choice(false, true, "t").name, "stosq");
  EXPECT_EQ(x86_kernel_choice(false, false, "t").name, "movq");
  EXPECT_NE(x86_kernel_choice(false, true, "src").why.find("src"), std::string::npos);
}

TEST(Dczid, DecodesBlockSizeAndProhibit) {
  EXPECT_EQ(decode_dczid(4).block_bytes, 64u);  // BS = 4: 16 words
  EXPECT_FALSE(decode_dczid(4).prohibited);
  EXPECT_EQ(decode_dczid(5).block_bytes, 128u);
  EXPECT_EQ(decode_dczid(9).block_bytes, 2048u);
  EXPECT_TRUE(decode_dczid(0x14).prohibited);
  EXPECT_EQ(decode_dczid(0x14).block_bytes, 64u);
}

TEST(KernelChoiceArm64, DcZvaUnlessProhibited) {
  EXPECT_EQ(arm64_kernel_choice(4).name, "dc-zva");
  EXPECT_EQ(arm64_kernel_choice(0x14).name, "stnp");
  EXPECT_NE(arm64_kernel_choice(4).why.find("64 bytes"), std::string::npos);
}

}  // namespace
}  // namespace zs
