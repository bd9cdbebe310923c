// The preemption model from each of its sources, in the order they are
// believed, with samples from real kernels (tests/fixtures/procfs/).
#include "machine/preempt_model.h"

#include "machine/kernel_config.h"
#include "support/files.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace zs {
namespace {

std::string fixture(const std::string& name) { return test::fixture_text("procfs", name); }

const std::string kDynamic = "#1 SMP PREEMPT_DYNAMIC Fri Sep 13 04:18:22 UTC 2024";

TEST(PreemptModel, DebugfsIsTheLiveSetting) {
  PreemptInputs in;
  in.debugfs = fixture("preempt-full-lazy.txt");
  in.uname_version = kDynamic;
  in.cmdline = fixture("cmdline-ubuntu-preempt.txt");
  PreemptModel m = preemption_model(in);
  EXPECT_EQ(m.model, "full");
  EXPECT_EQ(m.source, "/sys/kernel/debug/sched/preempt");
  in.debugfs = fixture("preempt-none.txt");
  EXPECT_EQ(preemption_model(in).model, "none");
}

TEST(PreemptModel, BootArgumentOfADynamicKernel) {
  PreemptInputs in;
  in.uname_version = kDynamic;
  in.cmdline = fixture("cmdline-ubuntu-preempt.txt");
  in.config = fixture("config-preempt-dynamic-voluntary.txt");
  in.config_source = "/boot/config-6.8.0-45-generic";
  PreemptModel m = preemption_model(in);
  EXPECT_EQ(m.model, "full");  // the last preempt= wins
  EXPECT_EQ(m.source,
            "/proc/cmdline preempt=full (PREEMPT_DYNAMIC kernel; /sys/kernel/debug/sched/preempt "
            "unreadable)");
}

TEST(PreemptModel, BuildDefaultOfADynamicKernelSaysSo) {
  PreemptInputs in;
  in.uname_version = kDynamic;
  in.cmdline = fixture("cmdline-plain.txt");
  in.config = fixture("config-preempt-dynamic-voluntary.txt");
  in.config_source = "/proc/config.gz";
  PreemptModel m = preemption_model(in);
  EXPECT_EQ(m.model, "voluntary");
  EXPECT_EQ(m.source,
            "/proc/config.gz CONFIG_PREEMPT_VOLUNTARY=y (the build default of a PREEMPT_DYNAMIC "
            "kernel; /sys/kernel/debug/sched/preempt unreadable, so a change at run time would "
            "not show)");
}

TEST(PreemptModel, UnameNamesFullAndRt) {
  PreemptInputs in;
  in.uname_version = "#1 SMP PREEMPT Mon Jan 1 00:00:00 UTC 2024";
  in.cmdline = "preempt=none";  // ignored: not a dynamic kernel
  PreemptModel m = preemption_model(in);
  EXPECT_EQ(m.model, "full");
  EXPECT_EQ(m.source, "uname -v '" + in.uname_version + "'");
  in.uname_version = "#1 SMP PREEMPT_RT Mon Jan 1 00:00:00 UTC 2024";
  EXPECT_EQ(preemption_model(in).model, "rt");
}

TEST(PreemptModel, RtConfigBeforeTheOtherChoices) {
  PreemptInputs in;
  in.uname_version = "#1 SMP";
  in.config = fixture("config-preempt-rt.txt");
  in.config_source = "/boot/config-6.12.0-rt";
  PreemptModel m = preemption_model(in);
  EXPECT_EQ(m.model, "rt");
  EXPECT_EQ(m.source, "/boot/config-6.12.0-rt CONFIG_PREEMPT_RT=y");
}

TEST(PreemptModel, UndeterminedSaysWhy) {
  PreemptInputs in;
  in.uname_version = kDynamic;
  in.config_source = "/boot/config-6.8.0 or /proc/config.gz";
  PreemptModel m = preemption_model(in);
  EXPECT_EQ(m.model, std::nullopt);
  EXPECT_EQ(m.source, "uname -v '" + kDynamic + "'");
  EXPECT_EQ(m.why,
            "PREEMPT_DYNAMIC kernel (uname -v): the model is chosen at boot or run time, and "
            "neither /sys/kernel/debug/sched/preempt (debugfs), a preempt= boot argument nor "
            "/boot/config-6.8.0 or /proc/config.gz says which");

  in.uname_version = "#1 SMP";
  EXPECT_NE(preemption_model(in).why.find("is unreadable"), std::string::npos);
  in.config = fixture("config-no-preempt-options.txt");
  EXPECT_NE(preemption_model(in).why.find("names neither"), std::string::npos);
}

TEST(KernelConfigFile, PlainAndGzipReadTheSame) {
  const std::string dir = std::string(ZS_SOURCE_DIR) + "/tests/fixtures/procfs/";
  auto plain = read_config_file(dir + "config-preempt-rt.txt");
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, fixture("config-preempt-rt.txt"));
  auto gz = read_config_file(dir + "config-preempt-rt.gz");
  if (config_gzip_supported()) {
    EXPECT_EQ(gz, plain);
  } else {
    EXPECT_EQ(gz, std::nullopt) << "built without zlib";
  }
  EXPECT_EQ(read_config_file(dir + "no-such-config"), std::nullopt);
  EXPECT_EQ(read_config_file(dir + "no-such-config.gz"), std::nullopt);
}

TEST(PreemptModel, DynamicFromTheConfigOrUname) {
  PreemptInputs in;
  in.uname_version = "#1 SMP PREEMPT_DYNAMIC @0";
  in.cmdline = fixture("cmdline-firecracker-page-reporting.txt");
  in.config = fixture("config-6.18-fc-preempt-none-dynamic.txt");
  in.config_source = "/proc/config.gz";
  PreemptModel m = preemption_model(in);
  EXPECT_EQ(m.model, "none");
  EXPECT_TRUE(m.dynamic);
  EXPECT_EQ(m.dynamic_source, "/proc/config.gz CONFIG_PREEMPT_DYNAMIC=y");
  EXPECT_EQ(m.source.rfind("/proc/config.gz CONFIG_PREEMPT_NONE=y", 0), 0u);
  // The boot argument comes before the build config.
  in.cmdline = "quiet preempt=full";
  EXPECT_EQ(preemption_model(in).model, "full");
  in.config.reset();
  in.cmdline = "";
  m = preemption_model(in);
  EXPECT_TRUE(m.dynamic);
  EXPECT_EQ(m.dynamic_source, "uname -v names PREEMPT_DYNAMIC");
  in.uname_version = "#1 SMP";
  EXPECT_FALSE(preemption_model(in).dynamic);
}

TEST(PreemptModel, ThisMachineHasASource) {
  PreemptModel m = preemption_model(read_preempt_inputs());
  EXPECT_FALSE(m.source.empty());
  EXPECT_NE(m.model.has_value(), !m.why.empty());
}

}  // namespace
}  // namespace zs
