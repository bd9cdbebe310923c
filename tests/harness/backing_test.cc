// The backing verifier against real memory the kernel has just faulted in:
// THP, forced 4 KiB fallback, mTHP and hugetlb, through kpageflags and smaps.
// What needs root or visible PFNs skips with the reason; every sysfs setting
// changed here is put back in TearDown, whatever the test did.
#include "memory/backing.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "machine/sysfs.h"
#include "memory/mapping.h"

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#endif

namespace zs {
namespace {

const std::string kThp = "/sys/kernel/mm/transparent_hugepage";
const std::string kHugetlb2M = "/sys/kernel/mm/hugepages/hugepages-2048kB";

std::size_t page_size() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }
std::size_t pmd_size() { return sysfs::read_u64(kThp + "/hpage_pmd_size").value_or(0); }

std::string show(const BackingCheck& c) {
  return "verified=" + std::to_string(c.verified) + " huge=" + std::to_string(c.huge) +
         " detail='" + c.detail + "'";
}
bool says(const BackingCheck& c, std::string_view what) {
  return c.detail.find(what) != std::string::npos;
}

#define EXPECT_HUGE(c) EXPECT_TRUE((c).verified && (c).huge) << show(c)
#define EXPECT_NOT_HUGE(c, why)                            \
  EXPECT_TRUE((c).verified && !(c).huge && says((c), why)) \
      << "want not huge, '" << (why) << "': " << show(c)
#define EXPECT_UNVERIFIED(c, why)                           \
  EXPECT_TRUE(!(c).verified && !(c).huge && says((c), why)) \
      << "want unverified, '" << (why) << "': " << show(c)

// Why anonymous THP cannot be had here, or nullopt.
std::optional<std::string> no_thp() {
  if (pmd_size() == 0) return "THP not built into this kernel";
  auto enabled = sysfs::read(kThp + "/enabled");
  if (!enabled || sysfs::selected(*enabled) == "never") return kThp + "/enabled is 'never'";
  return std::nullopt;
}

// A populated MADV_HUGEPAGE region. The kernel may legitimately fall back
// (fragmented memory): `fell_back` then says so and the test skips, since
// asserting "huge" on memory the kernel never made huge tests nothing.
Mapping thp_region(std::size_t bytes, std::optional<std::string>& fell_back) {
  Mapping m = Mapping::anonymous(bytes, pmd_size());
  if (!m.advise_huge()) fell_back = std::string("MADV_HUGEPAGE refused: ") + std::strerror(errno);
  m.populate();
  if (!fell_back && m.anon_huge_bytes() != static_cast<long long>(m.size()))
    fell_back = "kernel backed only " + std::to_string(m.anon_huge_bytes()) + " of " +
                std::to_string(m.size()) + " bytes with THP (memory fragmented?)";
  return m;
}

Mapping base_page_region(std::size_t bytes) {
  Mapping m = Mapping::anonymous(bytes, pmd_size());
  EXPECT_EQ(madvise(m.data(), m.size(), MADV_NOHUGEPAGE), 0) << std::strerror(errno);
  return m;
}

std::string kpageflags_unusable() {
  if (geteuid() != 0) return "not root: /proc/kpageflags and pagemap PFNs need CAP_SYS_ADMIN";
  return "root, but pagemap hides PFNs (no CAP_SYS_ADMIN in the initial user namespace?)";
}

TEST(BackingNames, EveryMethodHasAName) {
  EXPECT_STREQ(to_string(BackingMethod::kpageflags), "kpageflags");
  EXPECT_STREQ(to_string(BackingMethod::smaps), "smaps");
  EXPECT_STREQ(to_string(BackingMethod::none), "none");
}

TEST(BackingNames, SizesThatAreNoFolioAreRefused) {
  BackingVerifier v;
  if (v.method() == BackingMethod::none) GTEST_SKIP() << "no verification method on this machine";
  Mapping m = base_page_region(pmd_size() ? pmd_size() : 1u << 21);
  EXPECT_NOT_HUGE(v.check_folio(m.data(), 3 * page_size(), false), "not a folio size");
  EXPECT_NOT_HUGE(v.check_folio(m.data(), 0, false), "not a folio size");
  EXPECT_NOT_HUGE(v.check_folio(m.data() + 1, page_size(), false), "not page-aligned");
}

// ---- kpageflags -------------------------------------------------------------

class BackingKpageflags : public testing::Test {
 protected:
  void SetUp() override {
    if (v.method() != BackingMethod::kpageflags) GTEST_SKIP() << kpageflags_unusable();
    if (auto why = no_thp()) GTEST_SKIP() << *why;
    page = page_size();
    pmd = pmd_size();
  }
  BackingVerifier v;
  std::size_t page = 0, pmd = 0;
};

TEST_F(BackingKpageflags, EveryPmdFolioOfAThpRegionIsHuge) {
  std::optional<std::string> fell_back;
  Mapping m = thp_region(4 * pmd, fell_back);
  if (fell_back) GTEST_SKIP() << *fell_back;
  for (std::size_t off = 0; off < m.size(); off += pmd) {
    BackingCheck c = v.check_folio(m.data() + off, pmd, false);
    EXPECT_HUGE(c) << " at offset " << off;
    EXPECT_TRUE(says(c, "anonymous THP")) << show(c);
  }
  EXPECT_NOT_HUGE(v.check_folio(m.data(), pmd, true), "without KPF_HUGE");
}

// The forced fallback: what a fragmented machine or a NOHUGEPAGE VMA gives.
TEST_F(BackingKpageflags, NoHugepageRegionIsBasePages) {
  Mapping m = base_page_region(pmd);
  m.populate();
  EXPECT_NOT_HUGE(v.check_folio(m.data(), pmd, false), "page 0 is a base");
  EXPECT_NOT_HUGE(v.check_folio(m.data() + 16 * page, 16 * page, false), "page 0 is a base");
}

TEST_F(BackingKpageflags, PmdWindowHalfwayIntoAThpIsNotHuge) {
  std::optional<std::string> fell_back;
  Mapping m = thp_region(2 * pmd, fell_back);
  if (fell_back) GTEST_SKIP() << *fell_back;
  EXPECT_NOT_HUGE(v.check_folio(m.data() + pmd / 2, pmd, false),
                  "page 0 is a tail: the range starts inside a larger folio");
}

TEST_F(BackingKpageflags, SmallRequestInsideAThpIsInsideALargerFolio) {
  std::optional<std::string> fell_back;
  Mapping m = thp_region(pmd, fell_back);
  if (fell_back) GTEST_SKIP() << *fell_back;
  EXPECT_NOT_HUGE(v.check_folio(m.data() + 5 * page, page, false), "inside a larger folio");
  // Starting at the head, the first n pages alone look like a folio of n:
  // only the page past the range tells that the folio goes on.
  EXPECT_NOT_HUGE(v.check_folio(m.data(), page, false), "front of a larger folio");
  EXPECT_NOT_HUGE(v.check_folio(m.data(), 16 * page, false), "front of a larger folio");
  EXPECT_NOT_HUGE(v.check_folio(m.data(), pmd / 2, false), "front of a larger folio");
}

TEST_F(BackingKpageflags, RequestOverTwoThpsHoldsSeveralFolios) {
  std::optional<std::string> fell_back;
  Mapping m = thp_region(2 * pmd, fell_back);
  if (fell_back) GTEST_SKIP() << *fell_back;
  EXPECT_NOT_HUGE(
      v.check_folio(m.data(), 2 * pmd, false),
      "page " + std::to_string(pmd / page) + " is a compound head: the range holds several folios");
}

TEST_F(BackingKpageflags, PagesNotFaultedInAreNotPresent) {
  Mapping untouched = Mapping::anonymous(pmd, pmd);
  untouched.advise_huge();
  EXPECT_NOT_HUGE(v.check_folio(untouched.data(), pmd, false), "page 0 not present");

  Mapping partly = base_page_region(pmd);
  for (int i = 0; i < 3; ++i) partly.data()[i * page] = std::byte{1};
  EXPECT_NOT_HUGE(v.check_folio(partly.data(), 4 * page, false), "page 3 not present");
}

// ---- smaps ------------------------------------------------------------------

class BackingSmaps : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(v.method(), BackingMethod::smaps);
    if (auto why = no_thp()) GTEST_SKIP() << *why;
    page = page_size();
    pmd = pmd_size();
  }
  BackingVerifier v{false};
  std::size_t page = 0, pmd = 0;
};

TEST_F(BackingSmaps, WholeOneFolioVmaIsHuge) {
  std::optional<std::string> fell_back;
  // advise_huge() splits the advised range into a VMA of its own.
  Mapping m = thp_region(pmd, fell_back);
  if (fell_back) GTEST_SKIP() << *fell_back;
  EXPECT_HUGE(v.check_folio(m.data(), pmd, false));
}

TEST_F(BackingSmaps, NoHugepageVmaIsNotHuge) {
  Mapping m = base_page_region(pmd);
  m.populate();
  BackingCheck c = v.check_folio(m.data(), pmd, false);
  EXPECT_NOT_HUGE(c, "not PMD-mapped");
  EXPECT_TRUE(says(c, "MADV_NOHUGEPAGE")) << show(c);
}

TEST_F(BackingSmaps, PartlyHugeVmaCannotBeAttributed) {
  Mapping m = Mapping::anonymous(2 * pmd, pmd);
  ASSERT_TRUE(m.advise_huge()) << std::strerror(errno);
  m.data()[0] = std::byte{1};  // one THP in the first slot, the second untouched
  if (m.anon_huge_bytes() != static_cast<long long>(pmd))
    GTEST_SKIP() << "the first slot did not get a THP";
  EXPECT_UNVERIFIED(v.check_folio(m.data(), pmd, false), "smaps is per VMA");
  EXPECT_UNVERIFIED(v.check_folio(m.data() + pmd, pmd, false), "smaps is per VMA");
}

TEST_F(BackingSmaps, UnalignedRangesAndMthpSizesAreUnverified) {
  std::optional<std::string> fell_back;
  Mapping m = thp_region(2 * pmd, fell_back);
  if (fell_back) GTEST_SKIP() << *fell_back;
  EXPECT_UNVERIFIED(v.check_folio(m.data() + pmd / 2, pmd, false), "aligned");
  EXPECT_UNVERIFIED(v.check_folio(m.data(), 16 * page, false), "smaps cannot see mTHP");
}

// ---- system settings changed for a test, restored in TearDown ----------------

// One sysfs file set for the test; TearDown writes the original back even
// when an assertion ended the test early.
class SysfsSettingTest : public testing::Test {
 protected:
  // Returns why it cannot, or nullopt after the value was written.
  std::optional<std::string> set(const std::string& path, const std::string& value) {
    auto now = sysfs::read(path);
    if (!now) return path + ": unreadable";
    if (auto err = sysfs::write(path, value)) return *err;
    path_ = path;
    original_ = *now;
    return std::nullopt;
  }
  void TearDown() override {
    if (path_.empty()) return;
    // Choice files ("always inherit [never]") take back only the selected word.
    auto err = sysfs::write(path_, sysfs::selected(original_));
    EXPECT_FALSE(err) << "could not restore " << path_ << " to '" << original_
                      << "': " << err.value_or("");
    EXPECT_EQ(sysfs::read(path_).value_or("?"), original_) << path_ << " not restored";
  }
  std::string path_, original_;
};

class BackingMthp : public SysfsSettingTest {};

TEST_F(BackingMthp, SixtyFourKiBFolioIsHuge) {
  if (geteuid() != 0) GTEST_SKIP() << "not root: cannot enable the 64 KiB mTHP size";
  BackingVerifier v;
  if (v.method() != BackingMethod::kpageflags) GTEST_SKIP() << kpageflags_unusable();
  const std::string enabled = kThp + "/hugepages-64kB/enabled";
  if (!sysfs::read(enabled))
    GTEST_SKIP() << enabled << " does not exist: no 64 KiB mTHP on this kernel";
  if (auto why = set(enabled, "madvise")) GTEST_SKIP() << *why;

  const std::size_t mthp = 64u << 10, page = page_size();
  // A 256 KiB VMA: too small for a PMD THP, so 64 KiB is the largest order
  // the fault can pick.
  Mapping m = Mapping::anonymous(4 * mthp, mthp);
  ASSERT_TRUE(m.advise_huge()) << std::strerror(errno);
  m.populate();
  for (std::size_t off = 0; off < m.size(); off += mthp) {
    BackingCheck c = v.check_folio(m.data() + off, mthp, false);
    EXPECT_HUGE(c) << " at offset " << off;
    EXPECT_TRUE(says(c, "64 KiB anonymous THP")) << show(c);
  }
  EXPECT_NOT_HUGE(v.check_folio(m.data(), 2 * mthp, false),
                  "page " + std::to_string(mthp / page) +
                      " is a compound head: the range holds several folios");
  EXPECT_NOT_HUGE(v.check_folio(m.data() + 4 * page, 4 * page, false), "inside a larger folio");
  EXPECT_NOT_HUGE(v.check_folio(m.data(), 4 * page, false), "front of a larger folio");
  EXPECT_UNVERIFIED(BackingVerifier(false).check_folio(m.data(), mthp, false),
                    "smaps cannot see mTHP");
}

// A hugetlb mapping, unmapped when the test body ends (before TearDown
// shrinks the pool back).
struct HugetlbMapping {
  explicit HugetlbMapping(std::size_t b) : bytes(b) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, -1, 0);
    data = p == MAP_FAILED ? nullptr : static_cast<std::byte*>(p);
  }
  ~HugetlbMapping() {
    if (data) munmap(data, bytes);
  }
  HugetlbMapping(const HugetlbMapping&) = delete;
  HugetlbMapping& operator=(const HugetlbMapping&) = delete;
  std::size_t bytes;
  std::byte* data = nullptr;
};

class BackingHugetlb : public SysfsSettingTest {};

TEST_F(BackingHugetlb, TouchedTwoMiBPageIsHugeByBothMethods) {
  if (geteuid() != 0) GTEST_SKIP() << "not root: cannot raise " << kHugetlb2M << "/nr_hugepages";
  auto nr = sysfs::read_u64(kHugetlb2M + "/nr_hugepages");
  if (!nr) GTEST_SKIP() << "no 2 MiB hugetlb pool on this kernel";
  if (auto why = set(kHugetlb2M + "/nr_hugepages", std::to_string(*nr + 2))) GTEST_SKIP() << *why;
  if (sysfs::read_u64(kHugetlb2M + "/free_hugepages").value_or(0) < 2)
    GTEST_SKIP() << "the kernel could not allocate 2 more 2 MiB pages (memory fragmented?)";

  const std::size_t huge = 2u << 20, page = page_size();
  BackingVerifier kpf, smaps(false);
  HugetlbMapping m(2 * huge);
  ASSERT_NE(m.data, nullptr) << "mmap(MAP_HUGETLB | MAP_HUGE_2MB): " << std::strerror(errno);

  if (kpf.method() == BackingMethod::kpageflags) {
    EXPECT_NOT_HUGE(kpf.check_folio(m.data, huge, true), "page 0 not present");
  }
  EXPECT_NOT_HUGE(smaps.check_folio(m.data, huge, true), "no hugetlb page faulted in");

  std::memset(m.data, 1, huge);  // the first page only
  // smaps counts hugetlb pages per VMA: half of this one is faulted in, and
  // it cannot say which half.
  EXPECT_UNVERIFIED(smaps.check_folio(m.data, huge, true), "smaps is per VMA");
  std::memset(m.data + huge, 1, huge);
  EXPECT_HUGE(smaps.check_folio(m.data, huge, true));
  EXPECT_HUGE(smaps.check_folio(m.data + huge, huge, true));
  EXPECT_NOT_HUGE(smaps.check_folio(m.data, 2 * huge, true), "several folios");
  EXPECT_NOT_HUGE(smaps.check_folio(m.data, page, true), "inside a larger folio");
  EXPECT_NOT_HUGE(smaps.check_folio(m.data + huge / 2, huge, true), "straddles two folios");

  if (kpf.method() != BackingMethod::kpageflags)
    GTEST_SKIP() << "kpageflags half: " << kpageflags_unusable();
  for (std::size_t off = 0; off < m.bytes; off += huge) {
    BackingCheck c = kpf.check_folio(m.data + off, huge, true);
    EXPECT_HUGE(c) << " at offset " << off;
    EXPECT_TRUE(says(c, "2 MiB hugetlb")) << show(c);
  }
  EXPECT_NOT_HUGE(kpf.check_folio(m.data, huge, false), "hugetlb folio, not a THP");
  EXPECT_NOT_HUGE(kpf.check_folio(m.data + page, page, true), "inside a larger folio");
  EXPECT_NOT_HUGE(kpf.check_folio(m.data, 2 * huge, true), "several folios");
  EXPECT_NOT_HUGE(kpf.check_folio(m.data + huge / 2, huge, true), "inside a larger folio");
}

// ---- /proc/vmstat -----------------------------------------------------------

TEST(BackingThpCounters, FaultAllocCountsAFreshThp) {
  if (auto why = no_thp()) GTEST_SKIP() << *why;
  auto before = read_thp_fault_counters();
  ASSERT_TRUE(before) << "/proc/vmstat has no thp_fault_alloc / thp_fault_fallback";
  std::optional<std::string> fell_back;
  Mapping m = thp_region(pmd_size(), fell_back);
  auto after = read_thp_fault_counters();
  ASSERT_TRUE(after);
  if (fell_back) {
    EXPECT_GT(after->fault_fallback, before->fault_fallback) << *fell_back;
  } else {
    EXPECT_GT(after->fault_alloc, before->fault_alloc);
  }
}

}  // namespace
}  // namespace zs
