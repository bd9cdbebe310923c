// Counters as a user meets them: validate's verdicts, and the samples of a
// short run with hardware columns empty (never 0) and software ones filled.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "counters/counters.h"
#include "results/samples_schema.h"
#include "support/run_binary.h"

namespace zs {
namespace {

TEST(CliValidate, SoftwareEventsValidatedHardwareAbsenceStated) {
  auto r = testing::run_zeroscope("validate");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("page_faults        validated"), std::string::npos) << r.out;
  if (!probe_pmu_access().hardware) {
    EXPECT_NE(r.out.find("no hardware PMU"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("cycles             unavailable"), std::string::npos) << r.out;
  }
}

TEST(CliMeasureCsv, HardwareColumnsEmptySoftwareAndTimeFilled) {
  const std::string csv = ::testing::TempDir() + "/zs_counters.csv";
  auto r = testing::run_zeroscope(
      "measure --strategy extent --target first --reps 3 --warmup 0 --pool 4 --csv " + csv);
  ASSERT_EQ(r.rc, 0) << r.err;
  // The samples.csv schema, read back by its own reader.
  const SamplesFile f = read_samples(csv);
  const auto& names = f.layout.counters;
  auto col = [&](const std::string& n) {
    return std::size_t(std::find(names.begin(), names.end(), n) - names.begin());
  };
  ASSERT_LT(col("page_faults"), names.size());
  const bool hw = probe_pmu_access().hardware;
  for (const SampleRow& row : f.rows) {
    EXPECT_TRUE(row.counters[col("page_faults")].has_value()) << row.key;
    // A metric that could not be counted has its column, empty: never a 0
    // standing in for "unknown".
    if (!hw) {
      ASSERT_LT(col("cycles"), names.size());
      EXPECT_FALSE(row.counters[col("cycles")].has_value());
      EXPECT_FALSE(row.counters[col("llc_misses")].has_value());
    }
  }
  EXPECT_EQ(f.rows.size(), 6u);  // 3 samples x (zero, access)
  EXPECT_NE(r.out.find("# not measured: "), std::string::npos);
}

}  // namespace
}  // namespace zs
