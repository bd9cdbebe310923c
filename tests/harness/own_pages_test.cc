// The harness's own pages, touched before a host-reported timed phase: which
// mappings of /proc/self/maps count as its own (recorded text), and the
// touch's count of pages over a mapping of known size.
#include "memory/own_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace zs {
namespace {

// A zeroscope process's maps, trimmed (the folio pool is the unnamed
// 2 GiB mapping; the alias pool a memfd).
constexpr const char* kMaps =
    "55d0c0a00000-55d0c0a3c000 r--p 00000000 fe:00 1311 /work/build/zeroscope\n"
    "55d0c0a3c000-55d0c0e20000 r-xp 0003c000 fe:00 1311 /work/build/zeroscope\n"
    "55d0c0e20000-55d0c0e21000 ---p 00420000 fe:00 1311 /work/build/zeroscope\n"
    "55d0c1b7d000-55d0c1bff000 rw-p 00000000 00:00 0          [heap]\n"
    "7f0000000000-7f0080000000 rw-p 00000000 00:00 0 \n"
    "7f0080000000-7f0080200000 rw-s 00000000 00:01 77         /memfd:zeroscope-alias (deleted)\n"
    "7f0090000000-7f0090001000 rw-p 00000000 00:00 0          [anon:zeroscope pool]\n"
    "7f00a0000000-7f00a01c8000 r-xp 00028000 fe:00 2201 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    "7ffd5e2e0000-7ffd5e301000 rw-p 00000000 00:00 0          [stack]\n"
    "7ffd5e3f0000-7ffd5e3f4000 r--p 00000000 00:00 0          [vvar]\n"
    "7ffd5e3f4000-7ffd5e3f6000 r-xp 00000000 00:00 0          [vdso]\n"
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]\n"
    "garbage line\n";

TEST(OwnPages, TheExecutableLibrariesHeapStackAndVdsoButNoPoolOrKernelPage) {
  const std::vector<AddressRange> r = own_ranges(kMaps);
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].lo, 0x55d0c0a00000u);  // r--p of the binary
  EXPECT_EQ(r[1].hi, 0x55d0c0e20000u);  // its text; the ---p guard left out
  EXPECT_EQ(r[2].lo, 0x55d0c1b7d000u);  // [heap]
  EXPECT_EQ(r[3].lo, 0x7f00a0000000u);  // libc, not the pools before it
  EXPECT_EQ(r[4].lo, 0x7ffd5e2e0000u);  // [stack]
  EXPECT_EQ(r[5].lo, 0x7ffd5e3f4000u);  // [vdso], not [vvar]
  EXPECT_TRUE(own_ranges("").empty());
}

TEST(OwnPages, TouchCountsEveryPageOfTheRanges) {
  const long page = sysconf(_SC_PAGESIZE);
  void* m = mmap(nullptr, std::size_t(page) * 5, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  ASSERT_NE(m, MAP_FAILED);
  const auto lo = reinterpret_cast<std::uintptr_t>(m);
  const SettleResult s =
      touch_pages({{lo, lo + std::uintptr_t(page) * 3},
                   {lo + std::uintptr_t(page) * 4, lo + std::uintptr_t(page) * 5}},
                  std::uint64_t(page));
  EXPECT_EQ(s.pages, 4u);
  EXPECT_LE(s.slow_pages, s.pages);
  EXPECT_GT(s.ns, 0u);
  EXPECT_EQ(touch_pages({{lo, lo + 1}}, 0).pages, 0u);
  munmap(m, std::size_t(page) * 5);
  // This process: its own binary is among the ranges, and every page of
  // them is touched.
  const SettleResult own = settle_own_pages();
  EXPECT_GT(own.pages, 10u);
}

}  // namespace
}  // namespace zs
