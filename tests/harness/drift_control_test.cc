// The drift control's cadence and series, pure: when the loop takes a
// reading (a fake measurement stands in for the control point), how many a
// run and a resumed run record, and how meta.json keeps the segments.
#include "sweep/drift_control.h"

#include <gtest/gtest.h>

#include <vector>

namespace zs {
namespace {

std::vector<Point> points(std::uint64_t folio_bytes, std::size_t n) {
  std::vector<Point> v(n);
  for (Point& p : v) p.folio_bytes = folio_bytes;
  return v;
}

// The loop of SweepSession::measure over samples [from, to), stopping early at `stop`.
std::vector<ControlReading> run_loop(DriftControl& c, std::uint64_t from, std::uint64_t to) {
  std::uint64_t finished = from;
  for (; finished < to; ++finished) {
    c.before_sample(finished, 0);
    c.after_sample(finished + 1, 0);
  }
  c.at_end(finished, 0);
  return c.readings();
}

std::vector<std::uint64_t> samples_of(const std::vector<ControlReading>& r) {
  std::vector<std::uint64_t> v;
  for (const ControlReading& x : r) v.push_back(x.sample);
  return v;
}

TEST(DriftCadence, EveryKeepsTheModelledCostUnderTheBudget) {
  EXPECT_EQ(control_every(points(2ull << 20, 15)), 48u);  // 2 MiB folios
  EXPECT_EQ(control_every(points(1ull << 30, 3)), 1u);    // 1 GiB: a reading per sample
  EXPECT_GT(control_every(points(4096, 4)), 900u);        // base pages: rare readings
  EXPECT_EQ(control_every({}), 1u);
  // Mixed sizes price the mean sample.
  std::vector<Point> mixed = points(2ull << 20, 2);
  mixed.push_back(points(1ull << 30, 1).front());
  EXPECT_LT(control_every(mixed), 48u);
}

TEST(DriftCadence, AShortRunStillGetsEnoughReadingsToJudge) {
  // quick.toml: 15 points x 15 samples; by the budget alone 48, 5 readings.
  EXPECT_EQ(control_every(points(2ull << 20, 15), 225), 225u / kControlMinReadings);
  EXPECT_GE(expected_controls(0, 225, control_every(points(2ull << 20, 15), 225)),
            kControlMinReadings);
  // A long run keeps the budget's cadence.
  EXPECT_EQ(control_every(points(2ull << 20, 15), 100000), 48u);
  EXPECT_EQ(control_every(points(2ull << 20, 15), 3), 1u);
}

TEST(DriftCadence, ReadingsBeforeTheFirstEveryKAndAfterTheLast) {
  int calls = 0;
  DriftControl c(10, [&] { return std::uint64_t(100 + calls++); });
  const auto r = run_loop(c, 0, 25);
  EXPECT_EQ(samples_of(r), (std::vector<std::uint64_t>{0, 10, 20, 25}));
  EXPECT_EQ(r.size(), expected_controls(0, 25, 10));
  EXPECT_EQ(r[1].ns, 101u);
  EXPECT_GE(c.seconds(), 0.0);
}

TEST(DriftCadence, LastSampleOnTheGridIsNotReadTwice) {
  DriftControl c(10, [] { return std::uint64_t(1); });
  EXPECT_EQ(samples_of(run_loop(c, 0, 30)), (std::vector<std::uint64_t>{0, 10, 20, 30}));
  EXPECT_EQ(expected_controls(0, 30, 10), 4u);
}

TEST(DriftCadence, AResumeKeepsTheRunsGrid) {
  DriftControl c(10, [] { return std::uint64_t(1); });
  EXPECT_EQ(samples_of(run_loop(c, 17, 41)), (std::vector<std::uint64_t>{17, 20, 30, 40, 41}));
  EXPECT_EQ(expected_controls(17, 41, 10), 5u);
  DriftControl on_grid(10, [] { return std::uint64_t(1); });
  EXPECT_EQ(samples_of(run_loop(on_grid, 20, 30)), (std::vector<std::uint64_t>{20, 30}));
  EXPECT_EQ(expected_controls(20, 30, 10), 2u);
}

TEST(DriftCadence, NothingMeasuredNoReading) {
  DriftControl c(10, [] { return std::uint64_t(1); });
  c.at_end(40, 0);
  EXPECT_TRUE(c.readings().empty());
  EXPECT_EQ(expected_controls(40, 40, 10), 0u);
}

TEST(DriftSeries, SegmentsAreKeptAcrossAResumeAndRecordingTwiceReplaces) {
  const nlohmann::json point = {{"what", "w"}, {"primitive", "p"}, {"bytes", 2097152}};
  nlohmann::json meta = {{"resumed", nlohmann::json::array()}};
  meta["control"] = control_meta(point, 10, nullptr);
  DriftControl first(10, [] { return std::uint64_t(5); });
  run_loop(first, 0, 12);
  record_control(meta, first, 1.0);
  ASSERT_EQ(meta["control"]["series"].size(), 3u);
  EXPECT_EQ(meta["control"]["cadence"]["every"], 10);
  EXPECT_EQ(meta["control"]["unit"], "ns");
  EXPECT_EQ(meta["control"]["what"], "w");

  // The resume: one entry in "resumed", the old series carried over.
  nlohmann::json resumed = {{"resumed", nlohmann::json::array({nlohmann::json::object()})}};
  resumed["control"] = control_meta(point, 10, &meta);
  DriftControl second(10, [] { return std::uint64_t(7); });
  run_loop(second, 12, 25);
  record_control(resumed, second, 2.0);
  record_control(resumed, second, 2.0);  // finish, then a failure: not twice
  const nlohmann::json& series = resumed["control"]["series"];
  ASSERT_EQ(series.size(), 3u + expected_controls(12, 25, 10));
  EXPECT_EQ(series[0]["segment"], 0);
  EXPECT_EQ(series[2]["sample"], 12);
  EXPECT_EQ(series[3]["segment"], 1);
  EXPECT_EQ(series[3]["sample"], 12);
  EXPECT_EQ(series[3]["ns"], 7);
  ASSERT_EQ(resumed["control"]["segments"].size(), 2u);
  EXPECT_EQ(resumed["control"]["segments"][1]["readings"], 3);
}

}  // namespace
}  // namespace zs
