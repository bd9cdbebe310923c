// The kernel-path table, branch by branch: release, preemption model,
// init_on_alloc, cache aliasing and MAX_PAGE_ORDER as inputs
// (docs/kernel-zeroing.md states each rule and its source).
#include "machine/kernel_path.h"

#include <gtest/gtest.h>

#include "support/kernel_table.h"

namespace zs {
namespace {

constexpr std::uint64_t kMiB = 1ull << 20, kGiB = 1ull << 30;

// The development VM: 6.18, none, init_on_alloc off (tests/support/kernel_table.h).
KernelPathInputs dev_vm() { return test::dev_vm_kernel(); }

const KernelZeroing& at(const std::vector<KernelZeroing>& t, const char* b, std::uint64_t size) {
  const KernelZeroing* z = find_kernel_zeroing(t, b, size);
  EXPECT_NE(z, nullptr) << b << " " << size;
  static KernelZeroing none;
  return z ? *z : none;
}

TEST(KernelRelease, ParsesWithSuffixes) {
  auto r = parse_kernel_release("6.18.44-fc-v669");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->major, 6u);
  EXPECT_EQ(r->minor, 18u);
  r = parse_kernel_release("7.0.0-rc3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->major, 7u);
  EXPECT_EQ(r->minor, 0u);
  EXPECT_TRUE(parse_kernel_release("7.1-rc2"));
  EXPECT_TRUE(parse_kernel_release("5.4"));
  for (const char* bad : {"", "6", "6.", "abc", "6.x", "v6.1", "6.18x"})
    EXPECT_FALSE(parse_kernel_release(bad)) << bad;
}

TEST(KernelPath, Before70ProcessHugePageThenClearGiganticPage) {
  const auto t = kernel_zeroing(dev_vm());
  ASSERT_EQ(t.size(), 5u);  // thp 2M, mthp 64K + 2M, hugetlb 2M + 1G
  const KernelZeroing& thp = at(t, "thp", 2 * kMiB);
  EXPECT_EQ(thp.strategy, "left-right");
  EXPECT_EQ(thp.width, std::nullopt);
  EXPECT_EQ(thp.batch, std::nullopt);
  EXPECT_EQ(thp.function, "folio_zero_user -> process_huge_page: page at a time, target last");
  EXPECT_EQ(thp.source,
            "init_on_alloc off (default: CONFIG_INIT_ON_ALLOC_DEFAULT_ON not set in "
            "/proc/config.gz); release 6.18 < 7.0; 512 pages <= MAX_ORDER_NR_PAGES = 1024 "
            "(MAX_PAGE_ORDER 10: /proc/buddyinfo (11 order columns))");
  EXPECT_EQ(at(t, "mthp", 64 << 10).strategy, "left-right");
  EXPECT_EQ(at(t, "hugetlb", 2 * kMiB).strategy, "left-right");
  const KernelZeroing& gig = at(t, "hugetlb", kGiB);
  EXPECT_EQ(gig.strategy, "sequential");
  EXPECT_EQ(gig.function.rfind("folio_zero_user -> clear_gigantic_page", 0), 0u);
  EXPECT_EQ(find_kernel_zeroing(t, "thp", kGiB), nullptr);
  EXPECT_EQ(find_kernel_zeroing(t, "base", 4096), nullptr);
}

TEST(KernelPath, MaxPageOrderDecidesTheSplit) {
  KernelPathInputs in = dev_vm();
  in.max_page_order = 8;  // 256 pages: a 2 MiB folio is gigantic
  EXPECT_EQ(at(kernel_zeroing(in), "thp", 2 * kMiB).strategy, "sequential");
  in.max_page_order = 9;  // exactly 512: still process_huge_page
  EXPECT_EQ(at(kernel_zeroing(in), "thp", 2 * kMiB).strategy, "left-right");
  in.max_page_order.reset();
  in.max_page_order_source = "unreadable";
  const KernelZeroing z = at(kernel_zeroing(in), "thp", 2 * kMiB);
  EXPECT_EQ(z.strategy, std::nullopt);
  EXPECT_EQ(z.reason, "MAX_PAGE_ORDER unknown (unreadable)");
}

TEST(KernelPath, From70ThreeRegionAtEverySizeBatchedByPreemption) {
  KernelPathInputs in = dev_vm();
  in.release = "7.0.0-rc3";
  auto t = kernel_zeroing(in);
  const KernelZeroing& thp = at(t, "thp", 2 * kMiB);
  EXPECT_EQ(thp.strategy, "three-region");
  EXPECT_EQ(thp.width, 2u);
  EXPECT_EQ(thp.batch, 8192u);  // 32 MiB of 4 KiB pages under none
  EXPECT_EQ(thp.function.rfind("folio_zero_user -> clear_contig_highpages", 0), 0u);
  EXPECT_EQ(thp.source,
            "init_on_alloc off (default: CONFIG_INIT_ON_ALLOC_DEFAULT_ON not set in "
            "/proc/config.gz); release 7.0 >= 7.0: three ranges at every folio size; preemption "
            "none (/proc/config.gz CONFIG_PREEMPT_NONE=y): batches of 8192 pages (32 MiB)");
  // No MAX_ORDER_NR_PAGES test from 7.0: a 1 GiB folio is cleared in three
  // ranges too, the target's neighbourhood last.
  const KernelZeroing& gig = at(t, "hugetlb", kGiB);
  EXPECT_EQ(gig.strategy, "three-region");
  EXPECT_EQ(gig.width, 2u);
  EXPECT_EQ(gig.batch, 8192u);
  EXPECT_EQ(gig.function, thp.function);
  in.preemption = "voluntary";
  EXPECT_EQ(at(kernel_zeroing(in), "thp", 2 * kMiB).batch, 8192u);
  for (const char* m : {"full", "lazy", "rt"}) {
    in.preemption = m;
    t = kernel_zeroing(in);
    EXPECT_EQ(at(t, "thp", 2 * kMiB).batch, 0u) << m;
    EXPECT_EQ(at(t, "hugetlb", kGiB).batch, 0u) << m;
  }
  in.preemption = "none";
  in.max_page_order.reset();  // 7.0 on does not need it
  in.max_page_order_source = "unreadable";
  t = kernel_zeroing(in);
  EXPECT_EQ(at(t, "thp", 2 * kMiB).strategy, "three-region");
  EXPECT_EQ(at(t, "hugetlb", kGiB).strategy, "three-region");
  in.release = "7.3.1";
  in.page_size = 16384;  // (a 16 KiB-page x86 does not exist; the arithmetic is the point)
  in.preemption = "none";
  EXPECT_EQ(at(kernel_zeroing(in), "thp", 2 * kMiB).batch, 2048u);
}

TEST(KernelPath, From70CooperativeBatchIsKnownForX86Only) {
  KernelPathInputs in = dev_vm();
  in.release = "7.0.0";
  in.arch = "aarch64";
  KernelZeroing z = at(kernel_zeroing(in), "thp", 2 * kMiB);
  EXPECT_EQ(z.strategy, std::nullopt);
  EXPECT_NE(z.reason.find("which is true for aarch64 is not in the table"), std::string::npos);
  in.preemption = "full";  // preemptible: the whole range, whatever the architecture
  z = at(kernel_zeroing(in), "thp", 2 * kMiB);
  EXPECT_EQ(z.strategy, "three-region");
  EXPECT_EQ(z.batch, 0u);
}

TEST(KernelPath, From70UnknownPreemptionIsNotAGuess) {
  KernelPathInputs in = dev_vm();
  in.release = "7.1.0";
  in.preemption.reset();
  in.preemption_source = "PREEMPT_DYNAMIC kernel: nothing says which";
  const auto t = kernel_zeroing(in);
  for (const KernelZeroing& z : t) {
    EXPECT_EQ(z.strategy, std::nullopt);
    EXPECT_NE(z.reason.find("preemption model, which is unknown"), std::string::npos);
  }
  in.preemption = "weird";
  EXPECT_EQ(at(kernel_zeroing(in), "thp", 2 * kMiB).strategy, std::nullopt);
  in.release = "6.18.0";  // before 7.0 the model does not matter
  in.preemption.reset();
  EXPECT_EQ(at(kernel_zeroing(in), "thp", 2 * kMiB).strategy, "left-right");
}

TEST(KernelPath, InitOnAllocZeroesAnonymousFoliosInTheAllocator) {
  KernelPathInputs in = dev_vm();
  in.init_on_alloc = true;
  in.init_on_alloc_source = "boot argument init_on_alloc=1";
  const auto t = kernel_zeroing(in);
  for (auto [b, s] : {std::pair{"thp", 2 * kMiB}, {"mthp", 64ull << 10}}) {
    const KernelZeroing& z = at(t, b, s);
    EXPECT_EQ(z.strategy, "alloc-init") << b;
    EXPECT_EQ(z.function,
              "post_alloc_hook -> kernel_init_pages: page at a time, ascending, by the page "
              "allocator");
    EXPECT_EQ(z.source,
              "init_on_alloc on (boot argument init_on_alloc=1); caches do not alias "
              "(architecture x86_64: caches do not alias)");
  }
  EXPECT_EQ(at(t, "hugetlb", 2 * kMiB).strategy, "left-right");  // still folio_zero_user
}

TEST(KernelPath, AliasingCachesStillCallFolioZeroUser) {
  KernelPathInputs in = dev_vm();
  in.init_on_alloc = true;
  in.caches_alias = true;
  in.caches_alias_source = "test";
  const KernelZeroing z = at(kernel_zeroing(in), "thp", 2 * kMiB);
  EXPECT_EQ(z.strategy, "left-right");
  EXPECT_NE(z.source.find("kernel_init_pages zeroes it first, then"), std::string::npos);
  // From 7.0 the fault path is three-region: both zeroings are `double`.
  in.release = "7.0.0";
  const KernelZeroing d = at(kernel_zeroing(in), "thp", 2 * kMiB);
  EXPECT_EQ(d.strategy, "double");
  EXPECT_EQ(d.width, 2u);
  EXPECT_EQ(d.function.rfind("kernel_init_pages, then ", 0), 0u) << d.function;
  EXPECT_EQ(at(kernel_zeroing(in), "hugetlb", 2 * kMiB).strategy, "three-region");
  in.release = "6.18.44";
  in.caches_alias.reset();
  EXPECT_EQ(at(kernel_zeroing(in), "thp", 2 * kMiB).strategy, std::nullopt);
  EXPECT_EQ(at(kernel_zeroing(in), "hugetlb", 2 * kMiB).strategy, "left-right");
}

TEST(KernelPath, UnknownInitOnAllocLeavesAnonymousFoliosOpen) {
  KernelPathInputs in = dev_vm();
  in.init_on_alloc.reset();
  in.init_on_alloc_source = "/proc/config.gz unreadable";
  const auto t = kernel_zeroing(in);
  EXPECT_EQ(at(t, "thp", 2 * kMiB).strategy, std::nullopt);
  EXPECT_NE(at(t, "thp", 2 * kMiB).reason.find("init_on_alloc unknown"), std::string::npos);
  EXPECT_EQ(at(t, "hugetlb", kGiB).strategy, "sequential");
}

TEST(KernelPath, ReleasesOutsideTheTable) {
  KernelPathInputs in = dev_vm();
  in.release = "4.9.0-19-amd64";
  KernelZeroing z = at(kernel_zeroing(in), "thp", 2 * kMiB);
  EXPECT_EQ(z.strategy, std::nullopt);
  EXPECT_EQ(z.reason, "kernel release 4.9 is older than 4.14, which the table does not cover");
  in.release = "4.14.0";
  EXPECT_EQ(at(kernel_zeroing(in), "thp", 2 * kMiB).strategy, "left-right");
  in.release = "linux";
  z = at(kernel_zeroing(in), "thp", 2 * kMiB);
  EXPECT_EQ(z.strategy, std::nullopt);
  EXPECT_EQ(z.reason, "kernel release 'linux' is not MAJOR.MINOR[...]");
}

TEST(KernelPath, JsonShape) {
  KernelPathInputs in = dev_vm();
  in.release = "7.0.0";
  auto j = to_json(at(kernel_zeroing(in), "thp", 2 * kMiB));
  EXPECT_EQ(j["backing"], "thp");
  EXPECT_EQ(j["folio_size"], 2 * kMiB);
  EXPECT_EQ(j["strategy"], "three-region");
  EXPECT_EQ(j["width"], 2);
  EXPECT_EQ(j["batch"], 8192);
  EXPECT_FALSE(j.contains("reason"));
  in.release = "3.10.0";
  j = to_json(at(kernel_zeroing(in), "hugetlb", kGiB));
  EXPECT_TRUE(j["strategy"].is_null());
  EXPECT_TRUE(j["width"].is_null());
  EXPECT_TRUE(j["batch"].is_null());
  EXPECT_EQ(j["reason"], "kernel release 3.10 is older than 4.14, which the table does not cover");
}

}  // namespace
}  // namespace zs
