// THP settings as this kernel reports them, and the one-line messages that
// say what is off and how to turn it on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>

#include "common/errors.h"
#include "common/units.h"
#include "machine/sysfs.h"
#include "memory/hugetlb_pool.h"
#include "memory/setting_guard.h"
#include "memory/thp_settings.h"

namespace zs {
namespace {

const std::set<std::string> kTop = {"always", "madvise", "never"};
const std::set<std::string> kPerSize = {"always", "inherit", "madvise", "never"};

class ThpSettings : public ::testing::Test {
 protected:
  void SetUp() override {
    if (thp_enabled().empty()) GTEST_SKIP() << "kernel built without CONFIG_TRANSPARENT_HUGEPAGE";
    std::string tmpl = ::testing::TempDir() + "/zs_thp_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    ::setenv("ZS_STATE_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("ZS_STATE_DIR");
    if (!dir_.empty()) std::system(("rm -rf '" + dir_ + "'").c_str());
  }
  // A size an MADV_HUGEPAGE mapping cannot get now, made so for the test as
  // root when none is; restored by the returned guard.
  std::optional<ThpSize> never_size(std::optional<SettingGuard>& guard) {
    for (const auto& s : thp_sizes())
      if (s.enabled == "never") return s;
    if (::geteuid() != 0) return std::nullopt;
    for (const auto& s : thp_sizes())
      if (s.bytes != thp_pmd_bytes() && s.enabled_path.find("/hugepages-") != std::string::npos) {
        guard.emplace(s.enabled_path, "never");
        ThpSize t = s;
        t.enabled = t.effective = "never";
        return t;
      }
    return std::nullopt;
  }
  std::string dir_;
};

TEST_F(ThpSettings, ReadsTheKernelsSettings) {
  EXPECT_TRUE(kTop.count(thp_enabled())) << thp_enabled();
  EXPECT_FALSE(thp_defrag().empty());
  EXPECT_EQ(thp_defrag().find('['), std::string::npos);
  const std::uint64_t pmd = thp_pmd_bytes();
  ASSERT_GT(pmd, 0u);
  EXPECT_EQ(pmd & (pmd - 1), 0u) << "hpage_pmd_size is a power of two";
#if defined(__x86_64__)
  EXPECT_EQ(pmd, 2u << 20);
#endif
}

TEST_F(ThpSettings, SizesAreSortedAndInheritResolvesThroughTheTopLevel) {
  auto sizes = thp_sizes();
  ASSERT_FALSE(sizes.empty());
  EXPECT_TRUE(std::is_sorted(sizes.begin(), sizes.end(),
                             [](const ThpSize& a, const ThpSize& b) { return a.bytes < b.bytes; }));
  bool has_pmd = false;
  for (const auto& s : sizes) {
    has_pmd |= s.bytes == thp_pmd_bytes();
    EXPECT_TRUE(kPerSize.count(s.enabled)) << s.enabled_path << ": " << s.enabled;
    EXPECT_EQ(s.enabled, sysfs::selected(sysfs::read(s.enabled_path).value_or("?")));
    EXPECT_EQ(s.effective, s.enabled == "inherit" ? thp_enabled() : s.enabled) << s.enabled_path;
  }
  EXPECT_TRUE(has_pmd) << "the PMD size is always offered";
}

TEST_F(ThpSettings, UsableExactlyWhenEffectiveIsAlwaysOrMadvise) {
  for (const auto& s : thp_sizes()) {
    bool usable = s.effective == "always" || s.effective == "madvise";
    EXPECT_EQ(thp_size_unusable(s.bytes) == std::nullopt, usable) << exact_size(s.bytes);
  }
}

TEST_F(ThpSettings, ANeverSizeNamesTheFileTheValueAndTheCommand) {
  std::optional<SettingGuard> guard;
  auto s = never_size(guard);
  if (!s) GTEST_SKIP() << "every THP size is enabled here and changing one needs root";
  auto msg = thp_size_unusable(s->bytes);
  ASSERT_TRUE(msg.has_value());
  EXPECT_EQ(msg->rfind("mTHP " + exact_size(s->bytes) + ": ", 0), 0u) << *msg;
  EXPECT_NE(msg->find(s->enabled_path + " is 'never'"), std::string::npos) << *msg;
  EXPECT_NE(msg->find("'echo madvise > " + s->enabled_path + "' as root"), std::string::npos)
      << *msg;
  EXPECT_NE(msg->find(option_ref(Option::enable_mthp)), std::string::npos) << *msg;
  EXPECT_EQ(msg->find('\n'), std::string::npos);
}

TEST_F(ThpSettings, AnUnofferedSizeListsTheOfferedOnes) {
  auto msg = thp_size_unusable(3u << 20);
  ASSERT_TRUE(msg.has_value());
  EXPECT_NE(msg->find("3 MiB"), std::string::npos) << *msg;
  EXPECT_NE(msg->find(exact_size(thp_pmd_bytes())), std::string::npos) << *msg;
  for (const auto& s : thp_sizes())
    EXPECT_NE(msg->find(exact_size(s.bytes)), std::string::npos) << *msg;
}

TEST_F(ThpSettings, MthpEnableSetsAndRestores) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing THP settings needs root";
  std::optional<SettingGuard> guard;
  auto s = never_size(guard);
  if (!s) GTEST_SKIP() << "no per-size THP file to switch off and on";
  {
    MthpEnable enable(s->bytes);
    EXPECT_TRUE(enable.changed());
    EXPECT_EQ(thp_size_unusable(s->bytes), std::nullopt);
    EXPECT_EQ(sysfs::selected(sysfs::read(s->enabled_path).value_or("")), "madvise");
  }
  EXPECT_EQ(sysfs::selected(sysfs::read(s->enabled_path).value_or("")), "never");
  EXPECT_NE(thp_size_unusable(s->bytes), std::nullopt);
}

TEST_F(ThpSettings, MthpEnableOfAUsableSizeChangesNothing) {
  for (const auto& s : thp_sizes())
    if (!thp_size_unusable(s.bytes)) {
      MthpEnable enable(s.bytes);
      EXPECT_FALSE(enable.changed());
      return;
    }
  GTEST_SKIP() << "no THP size is enabled here";
}

}  // namespace
}  // namespace zs
