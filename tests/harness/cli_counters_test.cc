// Counters as a user meets them: validate's verdicts, and the samples of a
// short run with hardware columns empty (never 0) and software ones filled.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/run_binary.h"
#include "counters/counters.h"

namespace zs {
namespace {

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string c; std::getline(in, c, ',');) out.push_back(c);
  if (!line.empty() && line.back() == ',') out.push_back("");
  return out;
}

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
  auto r = testing::run_zeroscope("measure --strategy extent --target first --reps 3 --warmup 0 --pool 4 --csv " + csv);
  ASSERT_EQ(r.rc, 0) << r.err;
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  auto names = cells(header);
  auto col = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  ASSERT_LT(std::size_t(col("page_faults")), names.size()) << header;
  const bool hw = probe_pmu_access().hardware;
  int rows = 0;
  for (std::string line; std::getline(in, line);) {
    auto c = cells(line);
    ASSERT_EQ(c.size(), names.size()) << line;
    EXPECT_FALSE(c[std::size_t(col("ns"))].empty());
    EXPECT_FALSE(c[std::size_t(col("page_faults"))].empty()) << line;
    // A metric that could not be counted has its column, empty: never a 0
    // standing in for "unknown".
    if (!hw) {
      ASSERT_LT(std::size_t(col("cycles")), names.size()) << header;
      EXPECT_EQ(c[std::size_t(col("cycles"))], "");
      EXPECT_EQ(c[std::size_t(col("llc_misses"))], "");
    }
    ++rows;
  }
  EXPECT_EQ(rows, 6);  // 3 samples x (zero, access)
  EXPECT_NE(r.out.find("# not measured: "), std::string::npos);
}

}  // namespace
}  // namespace zs
