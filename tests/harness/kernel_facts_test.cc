// The facts that decide the kernel's zeroing path, from each of their
// sources, with samples from real machines (tests/fixtures/procfs/).
#include "machine/kernel_facts.h"
#include "support/files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace zs {
namespace {

std::string fixture(const std::string& name) { return test::fixture_text("procfs", name); }

const std::string kFcConfig = "config-6.18-fc-preempt-none-dynamic.txt";

TEST(InitFlag, BootArgumentWinsOverTheBuild) {
  const auto cfg = fixture("config-init-on-alloc-max-order-12.txt");
  BoolFact f = init_flag("quiet init_on_alloc=1 init_on_alloc=0", "init_on_alloc",
                         "CONFIG_INIT_ON_ALLOC_DEFAULT_ON", cfg, "/proc/config.gz");
  EXPECT_EQ(f.value, false);  // the last one wins
  EXPECT_EQ(f.source, "boot argument init_on_alloc=0");
  f = init_flag("init_on_alloc=on", "init_on_alloc", "CONFIG_INIT_ON_ALLOC_DEFAULT_ON",
                std::nullopt, "/proc/config.gz");
  EXPECT_EQ(f.value, true);
}

TEST(InitFlag, BuildDefaultSetNotSetAndAbsent) {
  const auto on = fixture("config-init-on-alloc-max-order-12.txt");
  BoolFact f = init_flag(fixture("cmdline-plain.txt"), "init_on_alloc",
                         "CONFIG_INIT_ON_ALLOC_DEFAULT_ON", on, "/boot/config-6.8.0");
  EXPECT_EQ(f.value, true);
  EXPECT_EQ(f.source, "default: CONFIG_INIT_ON_ALLOC_DEFAULT_ON =y in /boot/config-6.8.0");
  f = init_flag("", "init_on_free", "CONFIG_INIT_ON_FREE_DEFAULT_ON", on, "/boot/config-6.8.0");
  EXPECT_EQ(f.value, false);  // "is not set"
  f = init_flag(fixture("cmdline-firecracker-page-reporting.txt"), "init_on_alloc",
                "CONFIG_INIT_ON_ALLOC_DEFAULT_ON", fixture(kFcConfig), "/proc/config.gz");
  EXPECT_EQ(f.value, false);
  EXPECT_EQ(f.source, "default: CONFIG_INIT_ON_ALLOC_DEFAULT_ON not set in /proc/config.gz");
  f = init_flag("", "init_on_alloc", "CONFIG_INIT_ON_ALLOC_DEFAULT_ON", "CONFIG_X=y\n", "cfg");
  EXPECT_EQ(f.value, false);  // absent
}

TEST(InitFlag, UnknownSaysWhy) {
  BoolFact f = init_flag("init_on_alloc=maybe", "init_on_alloc", "CONFIG_INIT_ON_ALLOC_DEFAULT_ON",
                         std::nullopt, "/proc/config.gz or /boot/config-6.1");
  EXPECT_EQ(f.value, std::nullopt);
  EXPECT_NE(f.source.find("/proc/config.gz or /boot/config-6.1 is unreadable"), std::string::npos);
  EXPECT_NE(f.source.find("init_on_alloc=maybe is not a boolean"), std::string::npos);
}

TEST(MaxPageOrder, FromEachSource) {
  OrderFact o = max_page_order(fixture("buddyinfo-x86-kvm.txt"), std::nullopt, std::nullopt, "");
  EXPECT_EQ(o.order, 10u);
  EXPECT_EQ(o.source, "/proc/buddyinfo (11 order columns)");
  o = max_page_order(std::nullopt, fixture("pagetypeinfo-head.txt"), std::nullopt, "");
  EXPECT_EQ(o.order, 10u);
  EXPECT_EQ(o.source, "/proc/pagetypeinfo (11 order columns)");
  o = max_page_order(std::nullopt, std::nullopt, fixture("config-init-on-alloc-max-order-12.txt"),
                     "/proc/config.gz");
  EXPECT_EQ(o.order, 12u);
  EXPECT_EQ(o.source, "/proc/config.gz CONFIG_ARCH_FORCE_MAX_ORDER=12");
  o = max_page_order(std::nullopt, std::nullopt, std::nullopt, "/proc/config.gz");
  EXPECT_EQ(o.order, 10u);
  EXPECT_NE(o.source.find("the kernel's default (10)"), std::string::npos);
}

TEST(FreePageReporting, BalloonFeatureAndOrder) {
  const std::string cmdline = fixture("cmdline-firecracker-page-reporting.txt");
  const std::string feat = "0110010000000000000000000000000010000000";
  FreePageReporting r = free_page_reporting(true, feat, "9\n", cmdline);
  EXPECT_TRUE(r.active);
  EXPECT_EQ(r.order, 9u);  // the live value; this VM's boot argument (11) was refused
  EXPECT_NE(r.source.find("page_reporting.page_reporting_order=11 was not taken"),
            std::string::npos);
  r = free_page_reporting(true, feat, std::nullopt, cmdline);
  EXPECT_EQ(r.order, 11u);
  EXPECT_NE(r.source.find("boot argument"), std::string::npos);
  r = free_page_reporting(true, "0110000000", std::nullopt, "");
  EXPECT_FALSE(r.active);
  EXPECT_EQ(r.order, std::nullopt);
  r = free_page_reporting(false, std::nullopt, "9", cmdline);
  EXPECT_FALSE(r.active);
  EXPECT_NE(r.source.find("no virtio-balloon"), std::string::npos);
}

TEST(CachesAlias, ByArchitecture) {
  EXPECT_EQ(caches_alias("x86_64").value, false);
  EXPECT_EQ(caches_alias("aarch64").value, false);
  EXPECT_EQ(caches_alias("x86_64").source, "architecture x86_64: caches do not alias");
  EXPECT_EQ(caches_alias("armv7l").value, std::nullopt);
}

TEST(KernelFacts, ThisMachineAnswersWithSources) {
  const KernelFacts f = read_kernel_facts();
  EXPECT_FALSE(f.release.empty());
  EXPECT_FALSE(f.init_on_alloc.source.empty());
  EXPECT_TRUE(f.max_page_order.order.has_value());
  EXPECT_FALSE(f.free_page_reporting.source.empty());
}

}  // namespace
}  // namespace zs
