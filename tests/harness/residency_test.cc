// The residency probe's pure parts: its plan (one permutation over the
// folio), per-page latencies, the classifier, the calibration's threshold
// rule, residency.csv (writer, reader, damage, resume repair) and the
// report's summaries, on synthetic maps.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "common/errors.h"
#include "measure/residency.h"
#include "measure/residency_calibration.h"
#include "report/residency_text.h"
#include "results/residency_csv.h"

namespace zs {
namespace {

std::string temp_dir() {
  std::string t = (std::filesystem::temp_directory_path() / "zs-residency-XXXXXX").string();
  return mkdtemp(t.data());
}
std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ResidencyPlan, CoversEveryPageWithDistinctLines) {
  const ResidencyPlan plan = make_residency_plan(2u << 20, 4096, 64, 4, 42);
  ASSERT_EQ(plan.nr_pages, 512u);
  ASSERT_EQ(plan.offsets.size(), 512u * 4);
  std::map<std::uint32_t, std::set<std::uint64_t>> lines;
  for (std::size_t i = 0; i < plan.offsets.size(); ++i) {
    EXPECT_EQ(plan.offsets[i] / 4096, plan.pages[i]);
    EXPECT_EQ(plan.offsets[i] % 64, 0u);
    lines[plan.pages[i]].insert(plan.offsets[i]);
  }
  ASSERT_EQ(lines.size(), 512u);
  for (const auto& [page, set] : lines) EXPECT_EQ(set.size(), 4u) << page;
  // The same seed, the same plan; another seed, another order.
  EXPECT_EQ(make_residency_plan(2u << 20, 4096, 64, 4, 42).offsets, plan.offsets);
  EXPECT_NE(make_residency_plan(2u << 20, 4096, 64, 4, 43).offsets, plan.offsets);
}

TEST(ResidencyPlan, OnePermutationOverTheFolioNotPageByPage) {
  const ResidencyPlan plan = make_residency_plan(2u << 20, 4096, 64, 4, 7);
  // Consecutive probes in the same or an adjacent page: chance is 3/512
  // per pair (about 12 of 2047); page by page would be nearly all.
  std::size_t near = 0;
  for (std::size_t i = 1; i < plan.pages.size(); ++i) {
    const auto a = plan.pages[i - 1], b = plan.pages[i];
    if ((a > b ? a - b : b - a) <= 1) ++near;
  }
  EXPECT_LE(near, 2 * 12u + 6);
  // Lines of one page spread over the whole probe, not bunched.
  std::vector<std::size_t> first(512, SIZE_MAX), last(512, 0);
  for (std::size_t i = 0; i < plan.pages.size(); ++i) {
    first[plan.pages[i]] = std::min(first[plan.pages[i]], i);
    last[plan.pages[i]] = std::max(last[plan.pages[i]], i);
  }
  std::size_t spread = 0;
  for (std::size_t p = 0; p < 512; ++p) spread += last[p] - first[p];
  EXPECT_GT(spread / 512, plan.pages.size() / 4);
}

TEST(ResidencyPlan, SmallPagesTakeEveryLine) {
  const ResidencyPlan plan = make_residency_plan(256, 128, 64, 4, 1);
  EXPECT_EQ(plan.nr_pages, 2u);
  EXPECT_EQ(plan.offsets.size(), 4u);
}

TEST(ResidencyProbe, PageLatencyIsTheMedianOfItsLinesLessTheOverhead) {
  ResidencyPlan plan;
  plan.nr_pages = 2;
  plan.pages = {1, 0, 1, 0, 1, 0, 1, 0};
  plan.offsets.resize(8);
  const std::vector<std::uint64_t> ticks = {100, 10, 300, 12, 200, 14, 1000, 16};
  const auto ns = page_latencies(plan, ticks, 10, 0.5);
  ASSERT_EQ(ns.size(), 2u);
  EXPECT_FLOAT_EQ(ns[0], (13 - 10) * 0.5f);   // median of 10, 12, 14, 16
  EXPECT_FLOAT_EQ(ns[1], (250 - 10) * 0.5f);  // of 100, 200, 300, 1000
}

TEST(ResidencyClassify, UpperBoundsInclusive) {
  const ResidencyThresholds t{2, 20, 100};
  EXPECT_EQ(classify(-1, t), ResidencyLevel::l1);
  EXPECT_EQ(classify(2, t), ResidencyLevel::l1);
  EXPECT_EQ(classify(2.1, t), ResidencyLevel::l2);
  EXPECT_EQ(classify(50, t), ResidencyLevel::llc);
  EXPECT_EQ(classify(100.5, t), ResidencyLevel::memory);
  for (auto l :
       {ResidencyLevel::l1, ResidencyLevel::l2, ResidencyLevel::llc, ResidencyLevel::memory})
    EXPECT_EQ(parse_residency_level(to_string(l)), l);
  EXPECT_FALSE(parse_residency_level("L3"));
}

TEST(ResidencyCalibration, ThresholdsAtMidpoints) {
  const ThresholdRule r = thresholds_from_medians({0, 4, 44, 184});
  EXPECT_DOUBLE_EQ(r.thresholds.l1, 2);
  EXPECT_DOUBLE_EQ(r.thresholds.l2, 24);
  EXPECT_DOUBLE_EQ(r.thresholds.llc, 114);
  EXPECT_TRUE(r.merged.empty());
}

TEST(ResidencyCalibration, LevelNotAboveThePreviousIsMergedAndSaid) {
  // A VM hiding the LLC: its median is below L2's.
  const ThresholdRule r = thresholds_from_medians({0, 10, 9, 100});
  EXPECT_DOUBLE_EQ(r.thresholds.l1, 5);
  EXPECT_DOUBLE_EQ(r.thresholds.l2, 55);
  EXPECT_DOUBLE_EQ(r.thresholds.llc, 55);  // empty: nothing is LLC
  ASSERT_EQ(r.merged.size(), 1u);
  EXPECT_EQ(r.merged[0], "LLC merged into L2: its median 9.0 ns is not above 10.0");
  EXPECT_EQ(classify(30, r.thresholds), ResidencyLevel::l2);
  EXPECT_EQ(classify(60, r.thresholds), ResidencyLevel::memory);
  // Memory not above LLC: no upper bound for LLC.
  const ThresholdRule m = thresholds_from_medians({0, 4, 40, 40});
  EXPECT_TRUE(std::isinf(m.thresholds.llc));
  EXPECT_EQ(m.merged.size(), 1u);
}

TEST(ResidencyCalibration, BuffersSizedPerLevelAndCapped) {
  const auto b = calibration_buffers({48 << 10, 2 << 20, 480ull << 20, "test"});
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].buffer_bytes, 24u << 10);
  EXPECT_EQ(b[1].buffer_bytes, 1u << 20);
  EXPECT_EQ(b[2].buffer_bytes, 8u << 20);  // 4x L2, not half of a VM's 480 MiB
  EXPECT_EQ(b[3].buffer_bytes, 256u << 20);
  const auto small = calibration_buffers({32 << 10, 1 << 20, 8 << 20, "test"});
  EXPECT_EQ(small[2].buffer_bytes, 4u << 20);
  EXPECT_EQ(small[3].buffer_bytes, 32u << 20);
}

TEST(ResidencyCsv, WrittenRowsReadBack) {
  const std::string dir = temp_dir();
  {
    ResidencyWriter w(dir + "/residency.csv");
    const std::vector<float> ns = {1, 10, 50, 300};
    w.append(format_residency_rows("k,1", 3, ns, {2, 20, 100}));
  }
  const ResidencyFile f = read_residency(dir + "/residency.csv");
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_EQ(f.rows[0].key, "k,1");
  EXPECT_EQ(f.rows[2].rep, 3u);
  EXPECT_EQ(f.rows[2].page, 2u);
  EXPECT_EQ(f.rows[2].level, ResidencyLevel::llc);
  EXPECT_EQ(f.rows[3].level, ResidencyLevel::memory);
  EXPECT_EQ(slurp(dir + "/residency.csv").rfind("key,rep,page,ns,level\n", 0), 0u);
  std::filesystem::remove_all(dir);
}

TEST(ResidencyCsv, DamageRefusedWithTheLineOrLeftOut) {
  const std::string head = "key,rep,page,ns,level\n";
  try {
    parse_residency(head + "k,0,0,1.5,L1\nk,0,1,x,L2\n", "r.csv", false);
    FAIL();
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()),
              "r.csv:3: 'k,0,1,x,L2' does not read as key,rep,page,ns,level (level one of L1, L2, "
              "LLC, memory)");
  }
  try {
    parse_residency(head + "k,0,0,1.5\n", "r.csv", false);
    FAIL();
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()), "r.csv:2: 4 cells, expected 5 (key,rep,page,ns,level)");
  }
  EXPECT_THROW(parse_residency("a,b\n", "r.csv", true), SetupError);
  const ResidencyFile f =
      parse_residency(head + "k,0,0,1.5,L1\nk,0,1,2,L9\nk,0,2,3,L2\nk,0,3,4", "r.csv", true);
  EXPECT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.bad, 1u);
  EXPECT_TRUE(f.torn);
}

TEST(ResidencyCsv, ResumeKeepsRowsOfKeptSamplesOnce) {
  const std::string dir = temp_dir();
  {
    std::ofstream out(dir + "/residency.csv");
    out << "key,rep,page,ns,level\n"
        << "a,0,0,1.00,L1\na,0,1,2.00,L1\n"
        << "a,1,0,9.00,L2\n"            // sample a/1 never reached samples.csv
        << "a,0,0,1.00,L1\n"            // a repeated append
        << "b,0,0,3.00,L2\nb,0,1,4.0";  // torn
  }
  const std::uint64_t removed = repair_residency(dir, {{"a", 0}, {"b", 0}});
  EXPECT_EQ(removed, 3u);
  EXPECT_EQ(slurp(dir + "/residency.csv"),
            "key,rep,page,ns,level\na,0,0,1.00,L1\na,0,1,2.00,L1\nb,0,0,3.00,L2\n");
  EXPECT_EQ(repair_residency(dir, {{"a", 0}, {"b", 0}}), 0u);
  std::filesystem::remove_all(dir);
}

// report --lenient leaves a damaged residency.csv row out and says so;
// without it the report is refused naming the line.
TEST(ResidencyCsv, TheReportRefusesDamageUnlessLenient) {
  const std::string dir = temp_dir();
  std::ofstream(dir + "/residency.csv") << "key,rep,page,ns,level\n"
                                        << "a,0,0,1.00,L1\n"
                                        << "a,0,1,not-a-number,L1\n"
                                        << "a,0,2,3.00,L2\n";
  ResultsData d;
  d.dir = dir;
  EXPECT_THROW(build_residency(d), SetupError);
  const ResidencySection s = build_residency(d, true);
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("1 damaged rows left out"), std::string::npos) << s.notes[0];
  std::filesystem::remove_all(dir);
}

// A synthetic map: pages [hot_from, 512) hot (L2, 4 ns) in every sample,
// the others in memory (100 ns); page 5 hot in only 1 of 3 samples.
std::vector<ResidencyRow> synthetic(const std::string& key, std::uint32_t hot_from) {
  std::vector<ResidencyRow> rows;
  for (std::uint64_t rep = 0; rep < 3; ++rep)
    for (std::uint32_t p = 0; p < 512; ++p) {
      const bool hot = p >= hot_from || (p == 5 && rep == 0);
      rows.push_back(
          {key, rep, p, hot ? 4.0 : 100.0, hot ? ResidencyLevel::l2 : ResidencyLevel::memory});
    }
  return rows;
}

TEST(ResidencySummary, LevelsHotRegionAndEnds) {
  auto rows = synthetic("seq", 200);
  const auto more = synthetic("tr", 500);
  rows.insert(rows.end(), more.begin(), more.end());
  PointInfo seq, tr;
  seq.key = "seq";
  seq.strategy = "sequential";
  seq.target = "first";
  tr.key = "tr";
  tr.strategy = "three-region";
  tr.target = "first";
  const ResidencySection s = summarize_residency(rows, {tr, seq});
  ASSERT_EQ(s.entries.size(), 2u);
  const ResidencyEntry& a = s.entries[1];
  EXPECT_EQ(a.strategy, "sequential");
  EXPECT_EQ(a.samples, 3u);
  EXPECT_EQ(a.pages, 512u);
  EXPECT_DOUBLE_EQ(a.level_pages[1], 312);  // median: 313, 312, 312
  EXPECT_DOUBLE_EQ(a.level_pages[3], 200);
  ASSERT_EQ(a.hot.size(), 1u);
  EXPECT_EQ(a.hot[0], std::make_pair(200u, 511u));
  EXPECT_DOUBLE_EQ(a.first_ns, 100);
  EXPECT_DOUBLE_EQ(a.middle_ns, 4);
  EXPECT_DOUBLE_EQ(a.last_ns, 4);
  EXPECT_EQ(s.entries[0].hot[0], std::make_pair(500u, 511u));
  EXPECT_DOUBLE_EQ(s.entries[0].middle_ns, 100);
  const std::string text = render_residency_text(s);
  EXPECT_NE(text.find("  sequential     first     3     0   312     0    200  100.0    4.0    4.0"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hot (of 512 pages): 200-511\n"), std::string::npos) << text;
  const auto j = residency_section_json(s);
  EXPECT_EQ(j["entries"][1]["hot_pages"][0][0], 200);
  EXPECT_EQ(j["entries"][1]["pages_per_level"]["memory"], 200.0);
  EXPECT_EQ(page_ranges_text({{0, 2}, {7, 7}}), "0-2, 7");
  EXPECT_EQ(render_residency_text({}), "");
}

TEST(ResidencySummary, FromAResultsDirectory) {
  const std::string dir = temp_dir();
  ResultsData d;
  d.dir = dir;
  EXPECT_TRUE(build_residency(d).entries.empty());  // a run without residency points
  {
    std::ofstream out(dir + "/residency.csv");
    out << "key,rep,page,ns,level\nk,0,0,1.00,L1\nk,0,1,nan?,L1\nk,0,2,3";
  }
  try {
    build_residency(d);
    FAIL();
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("/residency.csv:3: 'k,0,1,nan?,L1' does not read"),
              std::string::npos)
        << e.what();
  }
  const ResidencySection s = build_residency(d, true);
  ASSERT_EQ(s.entries.size(), 1u);
  EXPECT_EQ(s.entries[0].strategy, "k");  // a key without its point is named by the key
  ASSERT_EQ(s.notes.size(), 2u);
  EXPECT_NE(render_residency_text(s).find("note: "), std::string::npos);
  std::filesystem::remove_all(dir);
}

// A replicates parent: each run's residency.csv, samples of the same rep
// number in different runs kept apart (3 runs x 1 sample = 3 samples).
TEST(ResidencySummary, PooledOverReplicateRuns) {
  std::vector<ResultsData> runs(3);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].dir = temp_dir();
    const std::vector<float> ns(8, i == 2 ? 100.0f : 4.0f);  // the third run: all in memory
    std::ofstream(runs[i].dir + "/residency.csv") << "key,rep,page,ns,level\n"
                                                  << format_residency_rows("k", 0, ns, {2, 20, 50});
  }
  PointInfo k;
  k.key = "k";
  k.strategy = "sequential";
  k.target = "first";
  const ResidencySection s = build_residency(runs, {k}, false);
  ASSERT_EQ(s.entries.size(), 1u);
  EXPECT_EQ(s.entries[0].samples, 3u);
  EXPECT_DOUBLE_EQ(s.entries[0].level_pages[1], 8);  // L2 in 2 of 3 runs: the median
  EXPECT_EQ(s.entries[0].hot, (std::vector<std::pair<std::uint32_t, std::uint32_t>>{{0, 7}}));
  for (const ResultsData& d : runs) std::filesystem::remove_all(d.dir);
}

}  // namespace
}  // namespace zs
