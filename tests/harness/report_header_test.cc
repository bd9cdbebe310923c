// The report's header (the machine from the capability record, what older
// results lack), counters with their units, the note on `b`, markdown's
// command line and plot paths after every table, on checked-in results.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "report/metric_units.h"
#include "report/report_header.h"
#include "support/run_binary.h"

namespace zs {
namespace {

namespace fs = std::filesystem;
const std::string F = "tests/fixtures/results/";

testing::Result run(const std::string& args) {
  return testing::run_zeroscope(args, {"cd '" + std::string(ZS_SOURCE_DIR) + "' &&", ""});
}

nlohmann::json meta_of(const std::string& dir) {
  std::ifstream in(std::string(ZS_SOURCE_DIR) + "/" + F + dir + "/meta.json");
  return nlohmann::json::parse(in);
}

TEST(ReportHeader, NamesTheMachineFromTheCapabilityRecord) {
  const MachineHeader h = machine_header(meta_of("strategy-left-right"));
  EXPECT_EQ(h.at("cpu"), "Intel(R) Xeon(R) Processor");
  EXPECT_EQ(h.at("uarch"), "generic");
  EXPECT_EQ(h.at("family_model_stepping"), "family 0x6 model 0xa7 stepping 1");
  EXPECT_EQ(h.at("microcode"), "0x1");
  EXPECT_EQ(h.at("hypervisor"), "'KVMKVMKVM'");
  EXPECT_EQ(h.at("kernel"), "6.18.44-fc-v669");
  EXPECT_EQ(h.at("preemption"), "none (PREEMPT_DYNAMIC)");
  EXPECT_EQ(h.at("init_on_alloc"), "off");
  EXPECT_EQ(h.at("free_page_reporting"), "on (order 9)");
  EXPECT_EQ(h.at("thp"), "madvise (defrag madvise)");
  EXPECT_TRUE(h.not_recorded.empty());
  const auto lines = machine_header_lines(h);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1],
            "kernel 6.18.44-fc-v669: preemption none (PREEMPT_DYNAMIC); init_on_alloc off; free "
            "page reporting on (order 9); THP madvise (defrag madvise)");
}

TEST(ReportHeader, OlderResultsSayWhatIsMissing) {
  const MachineHeader h = machine_header(meta_of("quick-a"));
  EXPECT_EQ(h.at("microcode"), "unknown");
  EXPECT_EQ(h.at("init_on_alloc"), "not recorded");
  EXPECT_EQ(h.not_recorded, (std::vector<std::string>{"init_on_alloc", "free_page_reporting"}));
  const nlohmann::json j = machine_header_json(h);
  // Unknown values keep the record's reason.
  EXPECT_NE(j["unknown"]["microcode"].get<std::string>().find("microcode"), std::string::npos);
  EXPECT_NE(machine_header_lines(h).back().find("not recorded (results of a zeroscope that did "
                                                "not record them): init_on_alloc, free page "
                                                "reporting"),
            std::string::npos);
  // Nothing at all: every field not recorded, nothing invented.
  const MachineHeader empty = machine_header(nlohmann::json::object());
  EXPECT_EQ(empty.at("cpu"), "not recorded");
  EXPECT_EQ(empty.not_recorded.size(), empty.fields.size());
}

// arm64 records name the core by MIDR_EL1's fields, not by an x86
// family/model and microcode the record cannot have.
TEST(ReportHeader, Arm64RecordsNameTheMidr) {
  nlohmann::json meta = meta_of("strategy-left-right");
  nlohmann::json& cpu = meta["capability"]["cpu"];
  for (const char* x86 : {"family", "model", "stepping"}) cpu.erase(x86);
  cpu["microcode"] = nullptr;
  cpu["arch"] = "arm64";
  cpu["model_name"] = nullptr;
  cpu["uarch"] = "neoverse-n1";
  cpu["implementer"] = 0x41;
  cpu["part"] = 0xd0c;
  cpu["variant"] = 3;
  cpu["revision"] = 1;
  cpu["core"] = "Neoverse N1";
  MachineHeader h = machine_header(meta);
  EXPECT_EQ(h.at("midr"), "implementer 0x41 part 0xd0c r3p1, Neoverse N1");
  EXPECT_TRUE(h.not_recorded.empty()) << h.not_recorded.front();
  EXPECT_EQ(machine_header_lines(h).front(),
            "CPU: unknown (neoverse-n1; implementer 0x41 part 0xd0c r3p1, Neoverse N1); "
            "hypervisor 'KVMKVMKVM'; host " +
                h.at("host"));
  cpu["core"] = nullptr;
  EXPECT_EQ(machine_header(meta).at("midr"),
            "implementer 0x41 part 0xd0c r3p1, core not in zeroscope's table");
}

TEST(MetricUnits, FromTheEventFiles) {
  const auto units = metric_units(meta_of("quick-a"));
  EXPECT_EQ(unit_of(units, "task_clock"), "ns");
  EXPECT_EQ(unit_of(units, "task_clock_kernel"), "ns");
  EXPECT_EQ(unit_of(units, "page_faults"), "count");
  EXPECT_EQ(unit_of(units, "energy_pkg"), "joules");
  EXPECT_EQ(format_metric("task_clock", 1.785e5, units), "task_clock 178.5 us");
  EXPECT_EQ(format_metric("page_faults", 1, units), "page_faults 1");
  EXPECT_EQ(format_metric("mystery", 2, units), "mystery 2 (unit unknown)");
  EXPECT_EQ(format_with_unit(850, "ns"), "850 ns");
  EXPECT_EQ(format_with_unit(2.5e9, "ns"), "2.5 s");
  EXPECT_EQ(format_with_unit(0.0123, "joules"), "12.3 mJ");
}

TEST(ReportHeaderCli, TextMarkdownJson) {
  auto t = run("report " + F + "strategy-left-right");
  ASSERT_EQ(t.rc, 0) << t.err;
  EXPECT_NE(t.out.find("\nCPU: Intel(R) Xeon(R) Processor (generic; family 0x6 model 0xa7 "
                       "stepping 1;\n  microcode 0x1); hypervisor 'KVMKVMKVM'; host vm\n"),
            std::string::npos)
      << t.out;
  EXPECT_NE(t.out.find("kernel path: THP 2 MiB: left-right"), std::string::npos) << t.out;
  // Every counter with its unit; `b` explained with what to do.
  EXPECT_NE(t.out.find(" us"), std::string::npos);
  EXPECT_EQ(t.out.find("e+0"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("b: two modes (bimodality coefficient > 5/9): no median describes it."),
            std::string::npos)
      << t.out;
  EXPECT_NE(t.out.find("run more repetitions."), std::string::npos) << t.out;
  auto md = run("report " + F + "strategy-left-right --format markdown");
  ASSERT_EQ(md.rc, 0) << md.err;
  EXPECT_NE(md.out.find("command: `zeroscope report " + F + "strategy-left-right`  \n"),
            std::string::npos)
      << md.out;
  auto js = run("report " + F + "strategy-left-right --format json");
  ASSERT_EQ(js.rc, 0) << js.err;
  const auto j = nlohmann::json::parse(js.out);
  EXPECT_EQ(j["machine"]["init_on_alloc"], "off");
  EXPECT_EQ(j["machine"]["hypervisor"], "'KVMKVMKVM'");
  EXPECT_EQ(j["counter_units"]["task_clock"], "ns");
}

TEST(ReportHeaderCli, PlotPathsComeAfterEveryTable) {
  if (std::system("/usr/bin/python3 -c 'import matplotlib' 2>/dev/null") != 0)
    GTEST_SKIP() << "matplotlib is not installed for /usr/bin/python3: no plots to place";
  const fs::path dir = fs::path(::testing::TempDir()) / ("zs_plots_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::copy(fs::path(ZS_SOURCE_DIR) / F / "quick-a", dir, fs::copy_options::recursive);
  auto r = testing::run_zeroscope("report " + dir.string() + " --plots");
  fs::remove_all(dir);
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto heading = r.out.find("\nplots:\n");
  ASSERT_NE(heading, std::string::npos) << r.out;
  EXPECT_LT(r.out.find("left out:"), heading);
  EXPECT_LT(r.out.find("control:"), heading);
  const auto first_path = r.out.find(".png");
  ASSERT_NE(first_path, std::string::npos) << r.out;
  EXPECT_GT(first_path, heading);
}

}  // namespace
}  // namespace zs
