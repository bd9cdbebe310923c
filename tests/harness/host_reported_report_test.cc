// The report's host-reported section from results in memory: the fault on
// host-reported memory against recycled memory, the replica of the
// kernel's path on recycled memory and its share; fidelity matches a fault
// only with replicas of the same memory.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "report/fidelity.h"
#include "report/host_reported_text.h"
#include "report/report.h"

namespace zs {
namespace {

struct Fake {
  ResultsData d;
  Fake() {
    d.dir = "fake";
    d.meta = {{"config", {{"points", nlohmann::json::array()}}},
              {"capability", {{"primitives", {{"kernel", "stosb"}}}}}};
    d.meta["capability"]["kernel"]["zeroing"] = {{{"backing", "thp"},
                                                  {"folio_size", 2 << 20},
                                                  {"strategy", "left-right"},
                                                  {"width", nullptr},
                                                  {"batch", nullptr},
                                                  {"function", "process_huge_page"},
                                                  {"source", "release 6.18"}}};
  }
  Fake& add(const std::string& strategy, const std::string& memory, std::vector<double> ns) {
    PointInfo p;
    const bool fault = strategy == "kernel-fault";
    p.backing = "thp";
    p.folio_size = 2 << 20;
    p.strategy = strategy;
    p.primitive = fault ? "" : "kernel";
    p.target = "first";
    p.access = "page";
    p.op = "write";
    p.cache = "cold";
    p.memory = memory;
    p.key = fmt::format("thp/2097152/{}/{}/first/page:write/cold:pool/b-/w-{}", strategy,
                        fault ? "-" : "kernel", memory == "recycled" ? "" : "/" + memory);
    d.points.push_back(p);
    d.meta["config"]["points"].push_back({{"key", p.key}, {"evict", "pool"}, {"memory", memory}});
    PhaseData& ph = d.data[p.key][fault ? "fault" : "zero"];
    ph.ns = std::move(ns);
    ph.primitive = fault ? "" : "stosb";
    return *this;
  }
};

const std::vector<double> kRecycled = {250e3, 260e3, 255e3, 262e3, 258e3, 251e3};
const std::vector<double> kHost = {5000e3, 5100e3, 4900e3, 5050e3, 4950e3, 5020e3};
const std::vector<double> kReplica = {100e3, 101e3, 99e3, 100e3, 102e3, 98e3};
const std::vector<double> kReplicaHost = {300e3, 301e3, 299e3, 300e3, 302e3, 298e3};

TEST(HostReportedReport, FaultAgainstRecycledAndTheReplicasShare) {
  Fake f;
  f.add("kernel-fault", "recycled", kRecycled)
      .add("kernel-fault", "host-reported", kHost)
      .add("left-right", "recycled", kReplica)
      .add("left-right", "host-reported", kReplicaHost);
  const auto fid = replica_fidelity(f.d, 1);
  const auto s = host_reported_section(f.d, fid, 1);
  ASSERT_EQ(s.rows.size(), 1u);
  const HostReportedRow& r = s.rows[0];
  EXPECT_DOUBLE_EQ(r.recycled_median, 256.5e3);
  EXPECT_DOUBLE_EQ(r.host_median, 5010e3);
  ASSERT_TRUE(r.ratio);
  EXPECT_NEAR(r.ratio->estimate, 5010.0 / 256.5, 1e-9);
  EXPECT_LE(r.ratio->lo, r.ratio->estimate);
  EXPECT_GE(r.ratio->hi, r.ratio->estimate);
  // The replica on recycled memory, not the one on host-reported memory.
  ASSERT_TRUE(r.replica_median);
  EXPECT_DOUBLE_EQ(*r.replica_median, 100e3);
  EXPECT_EQ(r.replica_name, "left-right/stosb");
  EXPECT_NEAR(*r.share, 100e3 / 5010e3, 1e-12);
  const std::string text = render_host_reported_text(s);
  EXPECT_NE(text.find("thp 2 MiB, access page/write, cache cold, target first\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("fault: recycled 256.5 us, host-reported 5010.0 us, x19.53"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("zero 100.0\n    us = 2.0% of the host-reported fault"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Tsirkin"), std::string::npos);
  EXPECT_NE(text.find("does not vanish"), std::string::npos);
}

TEST(HostReportedReport, FidelityMatchesReplicasOfTheSameMemoryOnly) {
  Fake f;
  f.add("kernel-fault", "recycled", kRecycled)
      .add("kernel-fault", "host-reported", kHost)
      .add("left-right", "host-reported", kReplicaHost);
  const auto fid = replica_fidelity(f.d, 1);
  ASSERT_EQ(fid.size(), 2u);
  EXPECT_FALSE(fid[0].measured());  // recycled fault: no recycled replica
  ASSERT_TRUE(fid[1].measured());
  EXPECT_EQ(fid[1].replica_key, f.d.points[2].key);
  // And the section says none measured on recycled memory.
  const auto s = host_reported_section(f.d, fid, 1);
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_FALSE(s.rows[0].replica_median);
  EXPECT_NE(render_host_reported_text(s).find("no replica of the kernel's path"),
            std::string::npos);
}

TEST(HostReportedReport, NothingWithoutHostReportedFaultsAndNoRatioWithoutATwin) {
  Fake f;
  f.add("kernel-fault", "recycled", kRecycled).add("left-right", "recycled", kReplica);
  EXPECT_TRUE(host_reported_section(f.d, replica_fidelity(f.d, 1), 1).rows.empty());
  EXPECT_EQ(render_host_reported_text({}), "");
  Fake g;
  g.add("kernel-fault", "host-reported", kHost);
  const auto s = host_reported_section(g.d, replica_fidelity(g.d, 1), 1);
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_FALSE(s.rows[0].ratio);
  EXPECT_NE(render_host_reported_text(s).find("no kept fault on recycled memory"),
            std::string::npos);
  // Older results: no memory in meta.json is recycled, the group as it was.
  PointInfo old;
  old.backing = "thp";
  old.folio_size = 2 << 20;
  old.access = "page";
  old.op = "write";
  old.cache = "cold";
  EXPECT_EQ(old.group(), "thp 2 MiB, access page/write, cache cold");
}

// The touch of the harness's own pages before each host-reported phase:
// medians and maxima over every host-reported cost phase, none on
// recycled memory, and in every format.
TEST(HostReportedReport, TheOwnPagesSettleIsSummarisedInEveryFormat) {
  Fake f;
  f.add("kernel-fault", "recycled", kRecycled)
      .add("kernel-fault", "host-reported", kHost)
      .add("left-right", "recycled", kReplica)
      .add("left-right", "host-reported", kReplicaHost);
  const std::string hf = f.d.points[1].key, hz = f.d.points[3].key, rz = f.d.points[2].key;
  f.d.data[hf]["fault"].host_settle_ns = {10e6, 20e6, 30e6};
  f.d.data[hf]["fault"].host_settle_slow = {100, 200, 300};
  f.d.data[hz]["zero"].host_settle_ns = {40e6, 50e6};
  f.d.data[hz]["zero"].host_settle_slow = {400, 500};
  f.d.data[rz]["zero"].host_settle_ns = {900e6};  // recycled: not counted
  f.d.data[rz]["zero"].host_settle_slow = {900};
  const auto s = host_reported_section(f.d, replica_fidelity(f.d, 1), 1);
  ASSERT_TRUE(s.settle);
  EXPECT_EQ(s.settle->samples, 5u);
  EXPECT_DOUBLE_EQ(s.settle->slow_median, 300);
  EXPECT_DOUBLE_EQ(s.settle->slow_max, 500);
  EXPECT_DOUBLE_EQ(s.settle->ns_median, 30e6);
  EXPECT_DOUBLE_EQ(s.settle->ns_max, 50e6);
  const std::string text = render_host_reported_text(s);
  EXPECT_NE(text.find("300 (median, at most 500)"), std::string::npos) << text;
  const std::string md = render_host_reported_markdown(s);
  EXPECT_NE(md.find("### Host-reported memory"), std::string::npos) << md;
  EXPECT_NE(
      md.find("| thp 2 MiB, access page/write, cache cold | first | 256.5 | 5010.0 | 19.53 ["),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("| left-right/stosb | 100.0 | 2.0% |"), std::string::npos) << md;
  EXPECT_NE(md.find("300 (median, at most 500)"), std::string::npos) << md;
  EXPECT_NE(md.find("30.0 ms (median, at most 50.0 ms) over 5 samples"), std::string::npos) << md;
  const nlohmann::json j = host_reported_json(s);
  ASSERT_EQ(j["faults"].size(), 1u);
  EXPECT_EQ(j["faults"][0]["host_reported_key"], hf);
  EXPECT_DOUBLE_EQ(j["faults"][0]["ratio"]["estimate"].get<double>(), 5010.0 / 256.5);
  EXPECT_DOUBLE_EQ(j["faults"][0]["replica_share"].get<double>(), 100e3 / 5010e3);
  EXPECT_EQ(j["own_pages_settle"]["samples"], 5);
  EXPECT_DOUBLE_EQ(j["own_pages_settle"]["slow_pages_median"].get<double>(), 300);
  // Without any host-reported sample: no settle, an empty section.
  Fake g;
  g.add("kernel-fault", "recycled", kRecycled);
  const auto e = host_reported_section(g.d, replica_fidelity(g.d, 1), 1);
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(render_host_reported_markdown(e), "");
}

}  // namespace
}  // namespace zs
