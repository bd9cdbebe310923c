// A report of replicate runs (report/report_runs.h) reads its fidelity and
// drift sections over the runs: the fault / replica ratio of the medians
// of run medians with an interval over runs, then samples
// (report/fidelity_runs.h), and each run's own control median and drift
// verdict (report/drift_runs.h); on hand-made runs of one config.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/drift_runs.h"
#include "report/fidelity_runs.h"
#include "report/report.h"
#include "report/report_runs.h"

namespace zs {
namespace {

// One run of a config with a left-right replica and kernel-fault at
// target first (the keys are the same in every run, as for replicates).
ResultsData run(const std::string& dir, const std::vector<double>& replica,
                const std::vector<double>& fault) {
  ResultsData d;
  d.dir = dir;
  d.meta = {{"config", {{"points", nlohmann::json::array()}}},
            {"capability",
             {{"primitives", {{"kernel", "stosb"}}},
              {"kernel",
               {{"zeroing",
                 {{{"backing", "thp"},
                   {"folio_size", 2 << 20},
                   {"strategy", "left-right"},
                   {"width", nullptr},
                   {"batch", nullptr},
                   {"function", "process_huge_page"},
                   {"source", "release 6.18: before 7.0"}}}}}}}}};
  for (const std::string strategy : {"left-right", "kernel-fault"}) {
    const bool is_fault = strategy == "kernel-fault";
    PointInfo p;
    p.backing = "thp";
    p.folio_size = 2 << 20;
    p.strategy = strategy;
    p.primitive = is_fault ? "" : "kernel";
    p.target = "first";
    p.access = "page";
    p.op = "write";
    p.cache = "cold";
    p.key = fmt::format("thp/2097152/{}/first", strategy);
    d.points.push_back(p);
    d.meta["config"]["points"].push_back({{"key", p.key}, {"evict", "pool"}});
    PhaseData& ph = d.data[p.key][is_fault ? "fault" : "zero"];
    ph.ns = is_fault ? fault : replica;
    ph.primitive = is_fault ? "" : "stosb";
  }
  return d;
}

// n readings around `level`, +-1%.
std::vector<double> around(double level, std::size_t n = 20) {
  std::vector<double> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(level * (1 + 0.01 * double(int(i % 5) - 2) / 2));
  return v;
}

// `s` with each wrapped line joined to the one before.
std::string unwrapped(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && s.compare(i + 1, 2, "  ") == 0) {
      out += ' ';
      i += 2;
      while (i + 1 < s.size() && s[i + 1] == ' ') ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

// Three runs whose faults differ run to run (180, 200, 240 us) against a
// steady 100 us replica.
std::vector<ResultsData> differing_runs() {
  return {run("parent/rep-1", around(100e3), around(180e3)),
          run("parent/rep-2", around(100e3), around(200e3)),
          run("parent/rep-3", around(100e3), around(240e3))};
}

TEST(RunsFidelity, TheIntervalOverRunsIsWiderThanThePooledOne) {
  const auto runs = differing_runs();
  std::vector<double> replica, fault;  // the samples pooled, as one run
  for (const ResultsData& d : runs) {
    const auto& r = d.data.at("thp/2097152/left-right/first").at("zero").ns;
    const auto& f = d.data.at("thp/2097152/kernel-fault/first").at("fault").ns;
    replica.insert(replica.end(), r.begin(), r.end());
    fault.insert(fault.end(), f.begin(), f.end());
  }
  const auto pooled = replica_fidelity(run("pooled", replica, fault), 1);
  ASSERT_TRUE(pooled[0].ratio);
  EXPECT_EQ(pooled[0].runs, 1u);

  const Report r = build_runs_report(runs, "parent", {});
  ASSERT_EQ(r.fidelity.size(), 1u);
  const Fidelity& x = r.fidelity[0];
  ASSERT_TRUE(x.measured()) << x.note;
  ASSERT_TRUE(x.ratio) << x.note;
  EXPECT_EQ(x.runs, 3u);
  EXPECT_DOUBLE_EQ(x.fault_median, 200e3);  // the median of the run medians
  EXPECT_DOUBLE_EQ(x.replica_median, 100e3);
  EXPECT_DOUBLE_EQ(*x.remainder_ns, 100e3);
  EXPECT_DOUBLE_EQ(x.ratio->estimate, 2.0);
  EXPECT_LE(x.ratio->lo, 1.85);  // a resample of runs can be all rep-1 ...
  EXPECT_GE(x.ratio->hi, 2.3);   // ... or all rep-3
  EXPECT_GT(x.ratio->hi - x.ratio->lo, 3 * (pooled[0].ratio->hi - pooled[0].ratio->lo))
      << "pooled [" << pooled[0].ratio->lo << ", " << pooled[0].ratio->hi << "]";

  const std::string text = unwrapped(render_report_text(r));
  EXPECT_NE(text.find("replica fidelity over 3 runs:"), std::string::npos) << text;
  EXPECT_NE(text.find("95% interval over runs, then samples"), std::string::npos) << text;
  EXPECT_EQ(text.find("95% BCa CI; rest"), std::string::npos) << text;
  EXPECT_NE(render_report_markdown(r).find("95% interval over runs, then samples"),
            std::string::npos);
  const nlohmann::json j = render_report_json(r)["groups"][0]["entries"][1]["fidelity"];
  EXPECT_EQ(j["interval"], "runs");
  EXPECT_DOUBLE_EQ(j["ratio"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(j["lo"].get<double>(), x.ratio->lo);
  EXPECT_DOUBLE_EQ(j["remainder_ns"].get<double>(), 100e3);

  // One run is the one-run report: pooled samples, a BCa CI.
  const Report one = build_runs_report({runs[0]}, "parent/rep-1", {});
  EXPECT_EQ(one.fidelity[0].runs, 1u);
  EXPECT_NE(unwrapped(render_report_text(one)).find("95% BCa CI; rest"), std::string::npos);
  EXPECT_EQ(render_report_json(one)["groups"][0]["entries"][1]["fidelity"]["interval"], "samples");
}

TEST(RunsFidelity, AReplicaMissingInEveryRunKeepsItsNote) {
  auto runs = differing_runs();
  runs[0] = run("parent/rep-1", around(100e3), around(180e3, 40));  // the pooled median: 180 us
  for (ResultsData& d : runs) d.meta["capability"]["kernel"]["zeroing"][0]["strategy"] = "upstream";
  const Report r = build_runs_report(runs, "parent", {});
  ASSERT_EQ(r.fidelity.size(), 1u);
  EXPECT_FALSE(r.fidelity[0].measured());
  EXPECT_NE(r.fidelity[0].note.find("add strategy \"kernel\""), std::string::npos);
  EXPECT_DOUBLE_EQ(r.fidelity[0].fault_median, 200e3);  // the median of run medians
}

nlohmann::json control(const std::vector<double>& ns) {
  nlohmann::json s = nlohmann::json::array();
  for (std::size_t i = 0; i < ns.size(); ++i) s.push_back({{"sample", i * 8}, {"ns", ns[i]}});
  return {{"primitive", "stosb"}, {"bytes", 2097152}, {"cadence", {{"every", 8}}}, {"series", s}};
}

std::vector<ResultsData> runs_with_controls(const std::vector<std::vector<double>>& series) {
  std::vector<ResultsData> runs;
  for (std::size_t i = 0; i < series.size(); ++i) {
    runs.push_back(run(fmt::format("parent/rep-{}", i + 1), around(100e3), around(110e3)));
    runs.back().meta["control"] = control(series[i]);
  }
  return runs;
}

TEST(RunsControl, EachRunsMedianAndVerdictAndTheSpread) {
  std::vector<double> drifting(12, 40000);
  for (std::size_t i = 9; i < 12; ++i) drifting[i] = 43000;  // +7.5% in the last quarter
  const auto runs = runs_with_controls(
      {std::vector<double>(12, 40000), drifting, std::vector<double>(12, 41000)});
  const Report r = build_runs_report(runs, "parent", {});
  const std::string text = render_report_text(r);
  EXPECT_NE(
      text.find("control (2 MiB extent zero, stosb, every 8 samples) over 3 runs: median of "
                "run\n  medians 40.0 us; run medians 40.0..41.0 us, largest difference 2.5%.\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("  rep-1: median 40.0 us, n 12, stable (+0.0% first to last quarter).\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  rep-2: median 40.0 us, n 12, DRIFTED (+7.5% first to last quarter).\n"),
            std::string::npos)
      << text;
  EXPECT_NE(unwrapped(text).find("WARNING: 1 of 3 runs drifted (rep-2): the control median moved "
                                 "over 5% between the first and the last quarter of the run"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("drift: none beyond"), std::string::npos) << "the one-run lines";

  const nlohmann::json j = render_report_json(r)["control"];
  EXPECT_EQ(j["drift"], "drift");
  EXPECT_EQ(j["drifted"], nlohmann::json::array({"rep-2"}));
  EXPECT_EQ(j["n"], 36);
  EXPECT_DOUBLE_EQ(j["median_ns"].get<double>(), 40000);
  EXPECT_NEAR(j["spread"].get<double>(), 0.025, 1e-12);
  ASSERT_EQ(j["runs"].size(), 3u);
  EXPECT_EQ(
      j["runs"][1],
      nlohmann::json({{"run", "rep-2"}, {"median_ns", 40000.0}, {"n", 12}, {"drift", "drift"}}));
  EXPECT_EQ(j["runs"][2]["drift"], "stable");
}

TEST(RunsControl, StableRunsThatMovedApartAreNoDriftButSaySo) {
  const auto runs = runs_with_controls(
      {std::vector<double>(12, 40000), std::vector<double>(12, 44000)});  // +10% run to run
  const Report r = build_runs_report(runs, "parent", {});
  const std::string text = unwrapped(render_report_text(r));
  EXPECT_EQ(text.find("WARNING"), std::string::npos) << text;
  EXPECT_NE(text.find("largest difference 10.0% (over 5%: the machine moved between the runs"),
            std::string::npos)
      << text;
  EXPECT_EQ(render_report_json(r)["control"]["drift"], "stable");
}

TEST(RunsControl, RunsWithoutASeriesAreSaid) {
  auto runs = runs_with_controls({std::vector<double>(12, 40000), {}});
  runs[1].meta.erase("control");
  runs[1].meta["zeroscope"] = {{"version", "0.1.0"}};
  const RunsControl c = summarize_run_controls(runs);
  EXPECT_EQ(c.with_series, 1u);
  EXPECT_NE(runs_control_text(c).find("  rep-2: no control series (recorded since zeroscope "
                                      "0.2.0; this run: 0.1.0).\n"),
            std::string::npos)
      << runs_control_text(c);
  const nlohmann::json j = runs_control_json(c);
  EXPECT_TRUE(j["runs"][1]["median_ns"].is_null());
  EXPECT_TRUE(j["runs"][1]["drift"].is_null());
  runs[0].meta.erase("control");
  const RunsControl none = summarize_run_controls(runs);
  EXPECT_NE(runs_control_text(none).find("control: none of the 2 runs has a series"),
            std::string::npos);
  EXPECT_EQ(runs_control_json(none)["present"], false);
  EXPECT_TRUE(runs_control_json(none)["drift"].is_null());
}

}  // namespace
}  // namespace zs
