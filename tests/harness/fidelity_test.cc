// Replica fidelity (report/fidelity.h): which point is the replica of the
// kernel's path, the numbers (fault / replica, the remainder), the default
// baseline of a table with kernel-fault, and the report's section; on
// hand-made results and on a copy of the quick-a fixture given a kernel path
// in the shapes the capability record writes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/fidelity.h"
#include "report/report.h"
#include "support/run_binary.h"
#include "support/test_dir.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

nlohmann::json zeroing(const std::string& strategy, const std::string& backing = "thp",
                       std::uint64_t size = 2 << 20) {
  return {{"backing", backing},
          {"folio_size", size},
          {"strategy", strategy},
          {"width", nullptr},
          {"batch", nullptr},
          {"function", "process_huge_page"},
          {"source", "release 6.18: before 7.0"}};
}

// Results in memory: points added with their samples, meta.json's config
// points written alongside, as load_results reads them.
struct Fake {
  ResultsData d;
  Fake() {
    d.dir = "fake";
    d.meta = {{"config", {{"points", nlohmann::json::array()}}},
              {"capability", {{"primitives", {{"kernel", "stosb"}}}}}};
  }
  // strategy "kernel-fault" gets a fault phase, the others a zero phase
  // measured with `real` (the primitive the samples record).
  Fake& add(const std::string& strategy, const std::string& target, std::vector<double> ns,
            const std::string& real = "stosb", const std::string& primitive = "kernel",
            const std::string& evict = "pool", std::optional<std::uint64_t> width = {},
            std::optional<std::uint64_t> batch = {}, const std::string& backing = "thp",
            std::uint64_t size = 2 << 20) {
    PointInfo p;
    const bool fault = strategy == "kernel-fault";
    p.backing = backing;
    p.folio_size = size;
    p.strategy = strategy;
    p.primitive = fault ? "" : primitive;
    p.target = target;
    p.access = "page";
    p.op = "write";
    p.cache = "cold";
    p.key = fmt::format("{}/{}/{}/{}/{}/{}/{}/{}/{}", backing, size, strategy, p.primitive, target,
                        evict, width.value_or(0), batch.value_or(0), d.points.size());
    d.points.push_back(p);
    nlohmann::json j = {{"key", p.key}, {"evict", evict}};
    j["width"] = width ? nlohmann::json(*width) : nlohmann::json();
    j["batch"] = batch ? nlohmann::json(*batch) : nlohmann::json();
    d.meta["config"]["points"].push_back(j);
    PhaseData& ph = d.data[p.key][fault ? "fault" : "zero"];
    ph.ns = std::move(ns);
    ph.primitive = fault ? "" : real;
    return *this;
  }
};

const std::vector<double> kFault = {200e3, 210e3, 220e3, 205e3, 215e3, 212e3};
const std::vector<double> kReplica = {100e3, 101e3, 99e3, 100e3, 102e3, 98e3};

TEST(Fidelity, RatioIsFaultOverReplicaAndRemainderTheirDifference) {
  Fake f;
  f.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right")};
  f.add("left-right", "first", kReplica)
      .add("upstream", "first", kFault)
      .add("kernel-fault", "first", kFault);
  const auto fid = replica_fidelity(f.d, 1);
  ASSERT_EQ(fid.size(), 1u);
  const Fidelity& x = fid[0];
  ASSERT_TRUE(x.measured()) << x.note;
  EXPECT_EQ(x.replica_key, f.d.points[0].key);
  EXPECT_EQ(x.replica_name, "left-right/stosb");
  EXPECT_DOUBLE_EQ(x.fault_median, 211e3);
  EXPECT_DOUBLE_EQ(x.replica_median, 100e3);
  ASSERT_TRUE(x.ratio);
  EXPECT_DOUBLE_EQ(x.ratio->estimate, 2.11);  // fault / replica, not the other way
  EXPECT_LE(x.ratio->lo, 2.11);
  EXPECT_GE(x.ratio->hi, 2.11);
  EXPECT_DOUBLE_EQ(*x.remainder_ns, 111e3);
  EXPECT_FALSE(x.explains());
  EXPECT_EQ(x.path->from, "capability.kernel.zeroing");
  const std::string text = render_fidelity_text(fid);
  EXPECT_NE(text.find("does not explain this kernel's fault"), std::string::npos) << text;
  EXPECT_NE(text.find("target first"), std::string::npos) << text;
  EXPECT_NE(text.find("111.0"), std::string::npos) << text;
}

TEST(Fidelity, ARatioInsideTheRangeSaysNothingMore) {
  Fake f;
  f.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right")};
  f.add("left-right", "first", kReplica).add("kernel-fault", "first", {110e3, 112e3, 108e3});
  const auto fid = replica_fidelity(f.d, 1);
  ASSERT_TRUE(fid[0].explains());
  EXPECT_EQ(render_fidelity_text(fid).find("does not explain"), std::string::npos);
}

TEST(Fidelity, TheRunsResolutionComesBeforeTheCapabilityRecord) {
  Fake f;
  f.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("upstream")};
  f.d.meta["kernel_strategy"] = {zeroing("left-right")};
  f.add("upstream", "first", kFault).add("left-right", "first", kReplica);
  f.add("kernel-fault", "first", kFault);
  const auto fid = replica_fidelity(f.d, 1);
  ASSERT_TRUE(fid[0].measured());
  EXPECT_EQ(fid[0].replica_key, f.d.points[1].key);
  EXPECT_EQ(fid[0].path->from, "kernel_strategy");
  // An empty kernel_strategy (the config did not use the alias) falls back.
  f.d.meta["kernel_strategy"] = nlohmann::json::array();
  EXPECT_EQ(replica_fidelity(f.d, 1)[0].replica_key, f.d.points[0].key);
}

TEST(Fidelity, SameBackingSizeTargetAccessCacheAndEvictOnly) {
  Fake f;
  f.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right")};
  f.add("left-right", "last", kFault);                                 // other target
  f.add("left-right", "first", kFault, "stosb", "kernel", "clflush");  // other evict
  f.add("left-right", "first", kFault, "stosb", "kernel", "pool", {}, {}, "hugetlb");  // backing
  f.add("kernel-fault", "first", kFault);
  auto fid = replica_fidelity(f.d, 1);
  EXPECT_FALSE(fid[0].measured());
  EXPECT_NE(fid[0].note.find("add strategy \"kernel\" to the config"), std::string::npos);
  EXPECT_NE(fid[0].note.find("left-right"), std::string::npos);
  f.add("left-right", "first", kReplica);
  fid = replica_fidelity(f.d, 1);
  EXPECT_EQ(fid[0].replica_key, f.d.points.back().key);
}

TEST(Fidelity, WidthAndBatchWhereTheStrategyTakesThem) {
  Fake f;
  nlohmann::json z = zeroing("three-region");
  z["width"] = 2;
  z["batch"] = 8192;
  f.d.meta["capability"]["kernel"]["zeroing"] = {z};
  f.add("three-region", "first", kFault, "stosb", "kernel", "pool", 4, 8192);
  f.add("three-region", "first", kFault, "stosb", "kernel", "pool", 2, 64);
  f.add("kernel-fault", "first", kFault);
  auto fid = replica_fidelity(f.d, 1);
  EXPECT_FALSE(fid[0].measured());
  EXPECT_NE(fid[0].note.find("three-region w2 b8192"), std::string::npos) << fid[0].note;
  f.add("three-region", "first", kReplica, "stosb", "kernel", "pool", 2, 8192);
  fid = replica_fidelity(f.d, 1);
  EXPECT_EQ(fid[0].replica_key, f.d.points.back().key);
}

TEST(Fidelity, ThePrimitiveIsTheKernelsClearPage) {
  Fake f;
  f.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right")};
  f.d.meta["capability"]["primitives"]["kernel"] = "movnti";
  f.add("left-right", "first", kFault, "stosb", "stosb");
  f.add("left-right", "first", kReplica, "movnti", "movnti");
  f.add("left-right", "first", kFault, "nt", "nt");
  f.add("kernel-fault", "first", kFault);
  auto fid = replica_fidelity(f.d, 1);
  EXPECT_EQ(fid[0].replica_name, "left-right/movnti");
  EXPECT_NE(fid[0].primitive_choice.find("the kernel's clear_page"), std::string::npos);
  // Several measured, none the kernel's: no replica, and why.
  f.d.meta["capability"]["primitives"]["kernel"] = "clzero";
  fid = replica_fidelity(f.d, 1);
  EXPECT_FALSE(fid[0].measured());
  EXPECT_NE(fid[0].note.find("stosb, movnti, nt"), std::string::npos) << fid[0].note;
}

TEST(Fidelity, WithoutTheKernelsChoiceTheAliasOrTheOnlyOne) {
  Fake f;
  f.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right")};
  f.d.meta["capability"].erase("primitives");
  f.add("left-right", "first", kFault, "nt", "nt");
  f.add("left-right", "first", kReplica, "stosb", "kernel");
  f.add("kernel-fault", "first", kFault);
  auto fid = replica_fidelity(f.d, 1);
  EXPECT_EQ(fid[0].replica_name, "left-right/stosb");
  EXPECT_NE(fid[0].primitive_choice.find("`kernel` resolved to"), std::string::npos);

  Fake g;
  g.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right")};
  g.add("left-right", "first", kReplica, "avx2", "avx2").add("kernel-fault", "first", kFault);
  fid = replica_fidelity(g.d, 1);
  EXPECT_EQ(fid[0].replica_name, "left-right/avx2");
  EXPECT_NE(fid[0].primitive_choice.find("the only one measured"), std::string::npos);
  EXPECT_NE(fid[0].primitive_choice.find("not the kernel's stosb"), std::string::npos);
  // No capability record at all, the run's resolution only: still the only one.
  g.d.meta.erase("capability");
  g.d.meta["kernel_strategy"] = {zeroing("left-right")};
  fid = replica_fidelity(g.d, 1);
  EXPECT_EQ(fid[0].replica_name, "left-right/avx2");
  EXPECT_EQ(fid[0].primitive_choice, "primitive avx2: the only one measured for left-right");
}

TEST(Fidelity, OlderResultsAndUncoveredKernelsSaySo) {
  Fake f;
  f.add("left-right", "first", kReplica).add("kernel-fault", "first", kFault);
  auto fid = replica_fidelity(f.d, 1);
  EXPECT_TRUE(fid[0].no_kernel_path);
  EXPECT_FALSE(fid[0].measured());
  EXPECT_EQ(render_fidelity_text(fid).find("target"), std::string::npos);
  EXPECT_NE(render_fidelity_text(fid).find("records no kernel path"), std::string::npos);

  nlohmann::json z = zeroing("x");
  z["strategy"] = nullptr;
  z["reason"] = "release 9.1 is newer than the table";
  f.d.meta["capability"]["kernel"]["zeroing"] = {z};
  fid = replica_fidelity(f.d, 1);
  EXPECT_FALSE(fid[0].no_kernel_path);
  EXPECT_NE(fid[0].note.find("not covered: release 9.1"), std::string::npos) << fid[0].note;

  // A kernel path without an entry for this backing and size.
  f.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right", "hugetlb", 1 << 30)};
  fid = replica_fidelity(f.d, 1);
  EXPECT_NE(fid[0].note.find("no entry for thp 2 MiB"), std::string::npos) << fid[0].note;
}

TEST(Fidelity, ATableWithKernelFaultIsComparedWithTheReplica) {
  Fake f;
  f.d.meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right")};
  f.add("upstream", "first", kFault).add("left-right", "first", kReplica);
  f.add("kernel-fault", "first", kFault);
  // Another table (hugetlb) without kernel-fault keeps the report's baseline.
  f.add("upstream", "first", kFault, "stosb", "kernel", "pool", {}, {}, "hugetlb");
  f.add("left-right", "first", kReplica, "stosb", "kernel", "pool", {}, {}, "hugetlb");
  const Report r = build_report(f.d, ReportOptions{});
  EXPECT_EQ(r.baseline, "upstream");
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].baseline, "left-right");
  EXPECT_EQ(r.groups[1].baseline, "");
  const ReportEntry& kf = r.groups[0].entries[2];
  ASSERT_TRUE(kf.change);
  EXPECT_DOUBLE_EQ(kf.change->estimate, 2.11 - 1);
  EXPECT_TRUE(r.groups[0].entries[1].is_baseline);
  EXPECT_TRUE(r.groups[1].entries[0].is_baseline);
  const std::string text = render_report_text(r);
  EXPECT_NE(text.find("vs left-right"), std::string::npos);
  EXPECT_NE(text.find("vs upstream"), std::string::npos);
  // JSON: the kernel-fault entry carries its fidelity, the others none.
  const nlohmann::json j = render_report_json(r);
  EXPECT_EQ(j["groups"][0]["baseline"], "left-right");
  const nlohmann::json& fid = j["groups"][0]["entries"][2]["fidelity"];
  EXPECT_EQ(fid["replica"], f.d.points[1].key);
  EXPECT_DOUBLE_EQ(fid["ratio"].get<double>(), 2.11);
  EXPECT_DOUBLE_EQ(fid["remainder_ns"].get<double>(), 111e3);
  for (const char* k : {"lo", "hi"}) EXPECT_TRUE(fid[k].is_number()) << k;
  EXPECT_FALSE(j["groups"][0]["entries"][1].contains("fidelity"));
  // A baseline asked for is the baseline of every table.
  ReportOptions asked;
  asked.baseline = "upstream";
  EXPECT_EQ(build_report(f.d, asked).groups[0].baseline, "");
}

// The quick-a fixture (a real run) given a kernel path as the capability
// record writes it: the whole command, text within 80 columns and json.
TEST(Fidelity, ReportOfARealRunWithAKernelPath) {
  const fs::path dir = test::fresh_test_dir("fidelity_") / "quick-a";
  fs::copy(fs::path(ZS_SOURCE_DIR) / "tests/fixtures/results/quick-a", dir);
  nlohmann::json meta;
  std::ifstream(dir / "meta.json") >> meta;
  meta["capability"]["kernel"]["zeroing"] = {zeroing("left-right")};
  meta["kernel_strategy"] = nlohmann::json::array();
  std::ofstream(dir / "meta.json") << meta.dump(1);

  auto text = testing::run_zeroscope("report " + dir.string());
  ASSERT_EQ(text.rc, 0) << text.err;
  EXPECT_NE(text.out.find("replica fidelity"), std::string::npos);
  EXPECT_NE(text.out.find("left-right/stosb"), std::string::npos);
  std::istringstream in(text.out);
  for (std::string line; std::getline(in, line);) EXPECT_LE(line.size(), 80u) << line;
  auto js = testing::run_zeroscope("report " + dir.string() + " --format json");
  ASSERT_EQ(js.rc, 0) << js.err;
  const auto j = nlohmann::json::parse(js.out);
  int seen = 0;
  for (const auto& e : j["groups"][0]["entries"])
    if (e["strategy"] == "kernel-fault") {
      ++seen;
      EXPECT_TRUE(e["fidelity"]["ratio"].is_number());
      EXPECT_NE(e["fidelity"]["replica"].get<std::string>().find("/left-right/"),
                std::string::npos);
    }
  EXPECT_EQ(seen, 2);
  auto md = testing::run_zeroscope("report " + dir.string() + " --format markdown");
  EXPECT_NE(md.out.find("### Replica fidelity"), std::string::npos);
}

}  // namespace
}  // namespace zs
