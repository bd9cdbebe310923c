// The fault anatomy read back: the report's section (text, markdown, json)
// and meta.json's counts from a real traced run (tests/fixtures/results/
// fault-anatomy), and no section for a run from before traced faults
// (quick-a, whose samples.csv has the old header). Pure.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "report/fault_anatomy_text.h"
#include "results/results_data.h"
#include "results/samples_schema.h"
#include "sweep/fault_anatomy_meta.h"

namespace zs {
namespace {

const std::string kResults = std::string(ZS_SOURCE_DIR) + "/tests/fixtures/results/";

TEST(FaultAnatomyReport, ATracedRunHasItsSpansPerKernelFaultPoint) {
  const ResultsData d = load_results(kResults + "fault-anatomy");
  const FaultAnatomySection s = build_fault_anatomy(d);
  ASSERT_EQ(s.entries.size(), 1u);
  const FaultAnatomyEntry& e = s.entries[0];
  EXPECT_EQ(e.target, "first");
  EXPECT_EQ(e.faults, 20u);
  EXPECT_EQ(e.traced, 20u);  // the bar: at least 80% of the faults
  ASSERT_TRUE(e.zero_ns && e.alloc_ns && e.map_ns);
  // The bar: the zeroing bound's median between 0.5 and 1.0 of the fault's.
  EXPECT_GT(*e.zero_ns, 0.5 * e.fault_ns);
  EXPECT_LT(*e.zero_ns, 1.0 * e.fault_ns);
  EXPECT_EQ(s.why, "");
  ASSERT_TRUE(s.tracing_cost.is_object());
  EXPECT_GT(s.tracing_cost["ratio"].get<double>(), 0.5);

  const std::string text = render_fault_anatomy_text(s);
  EXPECT_NE(text.find("Fault anatomy"), std::string::npos);
  EXPECT_NE(text.find("20 of 20 faults traced"), std::string::npos);
  EXPECT_NE(text.find("tracing cost: a thp fault"), std::string::npos);
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) EXPECT_LE(line.size(), 80u) << line;
  EXPECT_NE(render_fault_anatomy_markdown(s).find("| first | 20/20 |"), std::string::npos);
  const nlohmann::json j = fault_anatomy_json(s);
  EXPECT_EQ(j["entries"][0]["traced"], 20);
  EXPECT_TRUE(j["entries"][0]["fault_zero_median_ns"].is_number());
}

TEST(FaultAnatomyReport, ARunFromBeforeTracedFaultsHasNoSection) {
  const ResultsData d = load_results(kResults + "quick-a");  // kernel-fault points, old header
  const FaultAnatomySection s = build_fault_anatomy(d);
  EXPECT_TRUE(s.entries.empty());
  EXPECT_EQ(render_fault_anatomy_text(s), "");
  EXPECT_EQ(render_fault_anatomy_markdown(s), "");
}

TEST(FaultAnatomyReport, UntracedFaultsAreCountedByReason) {
  ResultsData d = load_results(kResults + "fault-anatomy");
  d.meta["fault_anatomy"] = {{"available", false}, {"why", "tracefs: mount: not permitted"}};
  for (auto& [key, phases] : d.data) {
    PhaseData& f = phases["fault"];
    f.fault_untraced["tracefs: mount: not permitted"] = f.ns.size();
    f.fault_alloc_ns.clear();
    f.fault_zero_ns.clear();
    f.fault_map_ns.clear();
  }
  const FaultAnatomySection s = build_fault_anatomy(d);
  ASSERT_EQ(s.entries.size(), 1u);
  EXPECT_EQ(s.entries[0].traced, 0u);
  EXPECT_FALSE(s.entries[0].zero_ns.has_value());
  const std::string text = render_fault_anatomy_text(s);
  EXPECT_NE(text.find("not traced: tracefs: mount: not permitted"), std::string::npos);
  EXPECT_NE(text.find("20 untraced: tracefs: mount: not permitted"), std::string::npos);
  EXPECT_TRUE(fault_anatomy_json(s)["entries"][0]["fault_zero_median_ns"].is_null());
}

TEST(FaultAnatomyMeta, CountsFormedAndUnformedFaultRows) {
  SamplesFile f = read_samples(kResults + "fault-anatomy/samples.csv");
  f.rows[0].fault_zero_ns.reset();
  f.rows[0].fault_untraced = "no fault entry record in the fault";
  nlohmann::json meta = {{"fault_anatomy", {{"available", true}}}};
  count_fault_anatomy(meta, f);
  const nlohmann::json& c = meta["fault_anatomy"]["samples"];
  EXPECT_EQ(c["fault_rows"], 20);
  EXPECT_EQ(c["formed"], 19);
  EXPECT_EQ(c["unformed"]["no fault entry record in the fault"], 1);
  nlohmann::json none = nlohmann::json::object();
  count_fault_anatomy(none, f);  // a meta.json without the record stays without it
  EXPECT_FALSE(none.contains("fault_anatomy"));
}

}  // namespace
}  // namespace zs
