// Sweep files: the corpus in tests/fixtures/configs (each file says on its
// first line what loading it must give: "# expect: MESSAGE" for a bad file,
// "# points: N" for a good one, so adding a case is adding a file), the
// expansion rules, point keys, the JSON record, and the shipped configs.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "common/errors.h"
#include "memory/folio_pool.h"
#include "memory/hugetlb_pool.h"
#include "memory/thp_settings.h"
#include "primitives/registry.h"
#include "support/kernel_table.h"
#include "sweep/memory_axis.h"
#include "sweep/sweep_config.h"

namespace zs {
namespace {

namespace fs = std::filesystem;

const std::string kFixtures = std::string(ZS_SOURCE_DIR) + "/tests/fixtures/configs";
const std::string kShipped = std::string(ZS_SOURCE_DIR) + "/configs";

// The corpus' messages count pages of 4 KiB and 2 MiB THP folios; elsewhere
// they would differ by design.
std::optional<std::string> corpus_unsupported() {
  if (sysconf(_SC_PAGESIZE) != 4096) return "base pages are not 4 KiB here";
  if (auto why = backing_unusable(Backing::thp, 2u << 20, PoolOptions{}))
    return "2 MiB THP is not usable here: " + *why;
  return std::nullopt;
}

std::string first_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

// "..." in an expectation stands for any text (the parts a machine or the
// TOML library words its own way); everything else must match exactly.
bool matches(const std::string& text, const std::string& pattern) {
  std::vector<std::string> parts;
  for (std::size_t from = 0;;) {
    std::size_t at = pattern.find("...", from);
    parts.push_back(pattern.substr(from, at - from));
    if (at == std::string::npos) break;
    from = at + 3;
  }
  if (parts.size() == 1) return text == pattern;
  if (text.compare(0, parts.front().size(), parts.front()) != 0) return false;
  std::size_t pos = parts.front().size();
  for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
    pos = text.find(parts[i], pos);
    if (pos == std::string::npos) return false;
    pos += parts[i].size();
  }
  const std::string& last = parts.back();
  return text.size() >= pos + last.size() &&
         text.compare(text.size() - last.size(), last.size(), last) == 0;
}

std::vector<fs::path> files(const std::string& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename();
    if (e.path().extension() == ".toml" && name.rfind(prefix, 0) == 0) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string load_error(const std::string& path) {
  try {
    load_sweep_config(path);
  } catch (const SetupError& e) {
    return e.what();
  }
  return "(loaded without an error)";
}

TEST(SweepCorpus, EveryFixtureStatesItsExpectation) {
  auto all = files(kFixtures, "");
  ASSERT_GE(all.size(), 40u);
  for (const auto& p : all) {
    const std::string name = p.filename();
    const std::string line = first_line(p);
    if (name.rfind("bad_", 0) == 0)
      EXPECT_EQ(line.rfind("# expect: " + name + ":", 0), 0u) << name << ": " << line;
    else if (name.rfind("good_", 0) == 0)
      EXPECT_EQ(line.rfind("# points: ", 0), 0u) << name << ": " << line;
    else
      ADD_FAILURE() << name << ": fixtures are named bad_*.toml or good_*.toml";
  }
}

TEST(SweepCorpus, BadFilesFailWithTheirExactMessage) {
  if (auto why = corpus_unsupported()) GTEST_SKIP() << *why;
  test::KernelTableForTest pinned;  // what strategy = "kernel" resolves to
  for (const auto& p : files(kFixtures, "bad_")) {
    const std::string expect =
        kFixtures + "/" + first_line(p).substr(std::string("# expect: ").size());
    const std::string got = load_error(p.string());
    EXPECT_TRUE(matches(got, expect))
        << p.filename() << "\n  expected: " << expect << "\n  got:      " << got;
    EXPECT_EQ(got.find('\n'), std::string::npos) << "one line: " << got;
  }
}

TEST(SweepCorpus, GoodFilesExpandToTheirPointCount) {
  if (auto why = corpus_unsupported()) GTEST_SKIP() << *why;
  test::KernelTableForTest pinned;  // what strategy = "kernel" resolves to
  for (const auto& p : files(kFixtures, "good_")) {
    const std::size_t expect = std::stoul(first_line(p).substr(std::string("# points: ").size()));
    try {
      SweepConfig c = load_sweep_config(p.string());
      EXPECT_EQ(expand_sweep(c).size(), expect) << p.filename();
    } catch (const SetupError& e) {
      ADD_FAILURE() << p.filename() << ": " << e.what();
    }
  }
}

TEST(SweepCorpus, MatcherTreatsDotsAsAnyText) {
  EXPECT_TRUE(matches("a: b; c", "a: b; c"));
  EXPECT_FALSE(matches("a: b; c", "a: b; "));
  EXPECT_TRUE(matches("a: b; c d e", "a: ...; c ..."));
  EXPECT_TRUE(matches("x: syntax: anything", "x: syntax: ..."));
  EXPECT_FALSE(matches("y: syntax: anything", "x: syntax: ..."));
  EXPECT_FALSE(matches("a: b",
                       "a: b..."
                       "c"));
}

class SweepFile : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = corpus_unsupported()) GTEST_SKIP() << *why;
  }
  SweepConfig load(const std::string& name) { return load_sweep_config(kFixtures + "/" + name); }
};

std::map<std::string, int> per_strategy(const std::vector<Point>& points) {
  std::map<std::string, int> n;
  for (const Point& p : points) ++n[p.strategy.name()];
  return n;
}

TEST_F(SweepFile, ParametersMultiplyOnlyTheStrategiesThatTakeThem) {
  auto points = expand_sweep(load("good_parameters.toml"));
  auto n = per_strategy(points);
  EXPECT_EQ(n["sequential"], 1);
  EXPECT_EQ(n["extent"], 2);
  EXPECT_EQ(n["three-region"], 6);
  for (const Point& p : points) {
    if (p.strategy != "three-region") {
      EXPECT_EQ(p.width, 2u) << point_key(p);  // the default, unmarked
    }
    if (p.strategy == "sequential") {
      EXPECT_EQ(p.batch, 0u);
    }
  }
  // Axis order: strategy before batch before width.
  ASSERT_EQ(points.size(), 9u);
  EXPECT_EQ(point_key(points[0]), "thp/2097152/sequential/kernel/first/page:write/cold:pool/b-/w-");
  EXPECT_EQ(point_key(points[1]), "thp/2097152/extent/kernel/first/page:write/cold:pool/b0/w-");
  EXPECT_EQ(point_key(points[2]), "thp/2097152/extent/kernel/first/page:write/cold:pool/b8/w-");
  EXPECT_EQ(point_key(points[3]),
            "thp/2097152/three-region/kernel/first/page:write/cold:pool/b0/w1");
  EXPECT_EQ(point_key(points[8]),
            "thp/2097152/three-region/kernel/first/page:write/cold:pool/b8/w3");
}

TEST_F(SweepFile, KernelFaultDoesNotMultiplyByPrimitives) {
  auto points = expand_sweep(load("good_kernel_fault.toml"));
  auto n = per_strategy(points);
  EXPECT_EQ(n["extent"], 4);
  EXPECT_EQ(n["kernel-fault"], 2);
  for (const Point& p : points) {
    if (!p.kernel_fault()) continue;
    EXPECT_EQ(p.primitive, "kernel");
    EXPECT_EQ(p.width, 2u);
    EXPECT_EQ(p.batch, 0u);
    EXPECT_NE(point_key(p).find("/kernel-fault/-/"), std::string::npos) << point_key(p);
  }
}

TEST_F(SweepFile, UpstreamTakesNeitherWidthNorBatch) {
  auto points = expand_sweep(load("good_upstream_preset.toml"));
  EXPECT_EQ(per_strategy(points)["upstream"], 1);
  EXPECT_EQ(point_key(points[0]), "thp/2097152/upstream/kernel/first/page:write/cold:pool/b-/w-");
}

TEST_F(SweepFile, MissingAxesTakeTheirDefaults) {
  SweepConfig c = load("good_defaults.toml");
  EXPECT_EQ(c.settings.repetitions, 3u);
  EXPECT_EQ(c.settings.warmup, 1u);
  ASSERT_EQ(c.backing.size(), 1u);
  EXPECT_EQ(c.backing[0].value, Backing::thp);
  EXPECT_EQ(c.backing[0].line, 0);
  EXPECT_EQ(c.folio_size[0].value, 2u << 20);
  EXPECT_EQ(c.strategy[0].value, "upstream");
  EXPECT_EQ(c.primitive[0].value, "kernel");
  EXPECT_EQ(c.target[0].value.name(), "first");
  EXPECT_EQ(c.access[0].value.pattern, AccessPattern::page);
  EXPECT_EQ(c.access[0].value.op, AccessOp::write);
  EXPECT_EQ(c.cache[0].value.state, CacheState::cold);
  EXPECT_EQ(c.cache[0].value.evict, Evict::pool);
  EXPECT_EQ(c.batch[0].value, 0u);
  EXPECT_EQ(c.width[0].value, 2u);
  auto points = expand_sweep(c);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(point_key(points[0]), "thp/2097152/upstream/kernel/first/page:write/cold:pool/b-/w-");
}

TEST_F(SweepFile, EverySettingIsRead) {
  SweepConfig c = load("good_settings.toml");
  const SweepSettings& s = c.settings;
  EXPECT_EQ(s.repetitions, 20u);
  EXPECT_EQ(s.warmup, 2u);
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.label, "all-settings_1.0");
  EXPECT_EQ(s.cpu, 0);
  EXPECT_EQ(s.node, 0);
  EXPECT_EQ(s.metrics, (std::vector<std::string>{"page_faults", "task_clock"}));
  ASSERT_TRUE(s.events);
  EXPECT_TRUE(fs::equivalent(*s.events, kShipped + "/events/generic.toml")) << *s.events;
  EXPECT_EQ(s.llc_size, 32u << 20);
  EXPECT_EQ(s.time_budget_s, 90.0);
  EXPECT_TRUE(s.record_batches);
  EXPECT_EQ(s.random_lines, 16u);
  EXPECT_EQ(s.pool, 8u);
  // Sizes and targets as written, values converted.
  EXPECT_EQ(c.batch[0].value, 256u);
  EXPECT_EQ(c.batch[0].text, "1MiB");
  EXPECT_EQ(c.target[0].value.kind, TargetSpec::Kind::byte_offset);
  EXPECT_EQ(c.target[1].value.value, 300u);
  EXPECT_EQ(c.target[1].text, "300");
  EXPECT_EQ(c.target[1].line, 23);
  for (const Point& p : expand_sweep(c)) {
    EXPECT_EQ(p.access.random_lines, 16u);
    EXPECT_EQ(p.evict, Evict::clflush);
  }
}

TEST_F(SweepFile, TimeBudgetUnits) {
  const fs::path dir = fs::temp_directory_path() / ("zs-sweep-" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (auto [text, seconds] : {std::pair{"90s", 90.0}, {"10m", 600.0}, {"2h", 7200.0}}) {
    const fs::path f = dir / "budget.toml";
    std::ofstream(f) << "[settings]\ntime_budget = \"" << text
                     << "\"\n[axes]\nstrategy = [\"upstream\"]\n";
    EXPECT_EQ(load_sweep_config(f.string()).settings.time_budget_s, seconds) << text;
  }
  fs::remove_all(dir);
}

TEST_F(SweepFile, ExcludeComparesCanonicalText) {
  SweepConfig c = load("good_exclude.toml");
  ASSERT_EQ(c.exclude.size(), 3u);
  const auto& m = c.exclude[0].match;
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0], (std::pair<sweep_axes::Axis, std::vector<std::string>>{sweep_axes::kFolio,
                                                                         {"2097152"}}));
  EXPECT_EQ(m[2].second, std::vector<std::string>{"page:write"});
  EXPECT_EQ(m[3].second, std::vector<std::string>{"cold:pool"});
  EXPECT_EQ(m[4].second, std::vector<std::string>{"b8"});
  EXPECT_EQ(c.exclude[0].line, 16);
  auto points = expand_sweep(c);
  auto n = per_strategy(points);
  EXPECT_EQ(n["extent"], 6);
  EXPECT_EQ(n["left-right"], 4);
  for (const Point& p : points)
    EXPECT_FALSE(p.strategy == "extent" && p.batch == 8 && p.access.op == AccessOp::write)
        << point_key(p);
}

TEST_F(SweepFile, OptionalSizesAreLeftOutWithTheReason) {
  SweepConfig c = load("good_optional_size.toml");
  ASSERT_EQ(c.unavailable.size(), 2u);  // thp x 3MB? and hugetlb x 3MB?
  for (const ExcludeRule& r : c.unavailable) {
    EXPECT_NE(r.reason.find("3MB?"), std::string::npos) << r.reason;
    EXPECT_EQ(r.line, 6);
  }
  auto points = expand_sweep(c);
  for (const Point& p : points) EXPECT_EQ(p.folio_bytes, 2u << 20);
  auto j = sweep_to_json(c, points);
  EXPECT_EQ(j["unavailable"].size(), 2u);
  EXPECT_EQ(j["axes"]["folio_size"][1], "3MB?");
}

TEST_F(SweepFile, DuplicatesCollapseToTheFirst) {
  SweepConfig c = load("good_dedupe.toml");
  auto points = expand_sweep(c);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].target.name(), "first");
  EXPECT_EQ(points[1].target.name(), "last");
  EXPECT_EQ(points[0].batch, 8u);
}

TEST(SweepKey, IsStableAndReadable) {
  Point p;
  p.backing = Backing::thp;
  p.folio_bytes = 2u << 20;
  p.strategy = "extent";
  p.primitive = "stosb";
  p.target = *TargetSpec::parse("first");
  p.access = AccessSpec{AccessPattern::page, AccessOp::write, 64};
  p.batch = 0;
  EXPECT_EQ(point_key(p), "thp/2097152/extent/stosb/first/page:write/cold:pool/b0/w-");
  p.strategy = "three-region";
  p.width = 3;
  p.batch = 16;
  p.target = *TargetSpec::parse("offset:1MiB");
  p.cache = CacheState::cold;
  p.evict = Evict::clflush;
  EXPECT_EQ(point_key(p),
            "thp/2097152/three-region/stosb/offset:1048576/page:write/cold:clflush/b16/w3");
  p.strategy = "kernel-fault";
  p.backing = Backing::hugetlb;
  p.folio_bytes = 1ull << 30;
  p.cache = CacheState::warm;
  p.access.pattern = AccessPattern::stream;
  p.access.op = AccessOp::read;
  EXPECT_EQ(point_key(p),
            "hugetlb/1073741824/kernel-fault/-/offset:1048576/stream:read/warm/b-/w-");
  EXPECT_EQ(point_key(p), point_key(Point(p)));
}

TEST(SweepKey, JsonGivesEveryAxis) {
  Point p;
  p.strategy = "three-region";
  p.primitive = "memset";
  p.target = *TargetSpec::parse("300");
  p.width = 4;
  p.batch = 8;
  auto j = point_to_json(p);
  EXPECT_EQ(j["backing"], "thp");
  EXPECT_EQ(j["folio_size"], 2u << 20);
  EXPECT_EQ(j["strategy"], "three-region");
  EXPECT_EQ(j["primitive"], "memset");
  EXPECT_EQ(j["target"], "300");
  EXPECT_EQ(j["access"], "page");
  EXPECT_EQ(j["op"], "write");
  EXPECT_EQ(j["cache"], "cold");
  EXPECT_EQ(j["evict"], "pool");
  EXPECT_EQ(j["batch"], 8);
  EXPECT_EQ(j["width"], 4);
  EXPECT_EQ(j["key"], point_key(p));
  p.strategy = "kernel-fault";
  j = point_to_json(p);
  EXPECT_TRUE(j["primitive"].is_null());  // not applicable: null, never a made-up value
  EXPECT_TRUE(j["batch"].is_null());
  EXPECT_TRUE(j["width"].is_null());
}

TEST_F(SweepFile, JsonRecordsTheConfigAsGivenAndExpanded) {
  const std::string path = kFixtures + "/good_kernel_fault.toml";
  SweepConfig c = load_sweep_config(path);
  auto points = expand_sweep(c);
  auto j = sweep_to_json(c, points);
  EXPECT_EQ(j["path"], path);
  std::ifstream in(path);
  EXPECT_EQ(j["text"], std::string(std::istreambuf_iterator<char>(in), {}));
  EXPECT_EQ(j["point_count"], points.size());
  ASSERT_EQ(j["points"].size(), points.size());
  EXPECT_EQ(j["points"][0]["key"], point_key(points[0]));
  for (const char* k :
       {"repetitions", "warmup", "seed", "label", "cpu", "node", "metrics", "events", "llc_size",
        "time_budget_s", "record_batches", "random_lines", "pool"})
    EXPECT_TRUE(j["settings"].contains(k)) << k;
  EXPECT_TRUE(j["settings"]["cpu"].is_null());
}

std::string write_temp(const std::string& tag, const std::string& text) {
  const fs::path f =
      fs::temp_directory_path() / ("zs-sweep-" + tag + "-" + std::to_string(getpid()) + ".toml");
  std::ofstream(f) << text;
  return f.string();
}

TEST(SweepErrors, MissingFileNamesIt) {
  const std::string got = load_error("/nonexistent/sweep.toml");
  EXPECT_EQ(got, "/nonexistent/sweep.toml: cannot read the sweep file: No such file or directory");
}

TEST(SweepErrors, UnavailablePrimitiveNamesTheReason) {
  if (auto why = corpus_unsupported()) GTEST_SKIP() << *why;
  const Primitive* missing = nullptr;
  for (const Primitive& p : PrimitiveRegistry::get().all())
    if (!p.available) missing = &p;
  if (missing == nullptr) GTEST_SKIP() << "every primitive is available on this CPU";
  const fs::path f =
      fs::temp_directory_path() / ("zs-sweep-prim-" + std::to_string(getpid()) + ".toml");
  std::ofstream(f) << "[axes]\nprimitive = [\"kernel\", \"" << missing->name() << "\"]\n";
  EXPECT_EQ(
      load_error(f.string()),
      fmt::format(
          "{}:2: axes.primitive: '{}' is not available on this CPU: {}; see 'zeroscope primitives'",
          f.string(), missing->name(), missing->why));
  fs::remove(f);
}

// What `zeroscope run` can still change (--enable-mthp, --reserve-hugetlb)
// is not a config error; with "?" only what is usable as set up now counts.
TEST(SweepErrors, DisabledMthpSizeIsLeftToTheRun) {
  std::optional<ThpSize> off;
  for (const ThpSize& t : thp_sizes())
    if (t.effective == "never" && t.bytes != thp_pmd_bytes()) off = t;
  if (!off) GTEST_SKIP() << "no mTHP size is disabled here";
  const std::string size = std::to_string(off->bytes) + "B";
  const std::string plain =
      write_temp("mthp", "[axes]\nbacking = [\"mthp\"]\nfolio_size = [\"" + size + "\"]\n");
  EXPECT_EQ(expand_sweep(load_sweep_config(plain)).size(), 1u);
  const std::string opt = write_temp(
      "mthp-opt", "[axes]\nbacking = [\"mthp\", \"base\"]\nfolio_size = [\"" + size + "?\"]\n");
  SweepConfig c = load_sweep_config(opt);
  ASSERT_EQ(c.unavailable.size(), 1u);
  EXPECT_NE(c.unavailable[0].reason.find("mthp " + size + "?: "), std::string::npos)
      << c.unavailable[0].reason;
  auto points = expand_sweep(c);
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].backing, Backing::base);
  fs::remove(plain);
  fs::remove(opt);
}

TEST(SweepErrors, EmptyHugetlbPoolIsLeftOutOnlyWhenOptional) {
  std::optional<HugetlbPool> empty;
  for (const HugetlbPool& p : hugetlb_pools())
    if (p.nr == 0) empty = p;
  if (!empty) GTEST_SKIP() << "no hugetlb pool here is empty";
  const std::string size = std::to_string(empty->page_bytes) + "B";
  const std::string plain =
      write_temp("tlb", "[axes]\nbacking = [\"hugetlb\"]\nfolio_size = [\"" + size + "\"]\n");
  EXPECT_EQ(expand_sweep(load_sweep_config(plain)).size(), 1u);  // short: the run says so
  const std::string opt = write_temp(
      "tlb-opt", "[axes]\nbacking = [\"hugetlb\", \"base\"]\nfolio_size = [\"" + size + "?\"]\n");
  SweepConfig c = load_sweep_config(opt);
  ASSERT_EQ(c.unavailable.size(), 1u);
  EXPECT_NE(c.unavailable[0].reason.find("has no pages (nr_hugepages is 0)"), std::string::npos)
      << c.unavailable[0].reason;
  fs::remove(plain);
  fs::remove(opt);
}

// Every shipped config loads and expands here; the 1 GiB points ("1GB?")
// come and go with the machine's 1 GiB hugetlb pool, nothing else does.
TEST(SweepShipped, EveryConfigLoadsAndExpandsHere) {
  if (auto why = backing_unusable(Backing::thp, 2u << 20, PoolOptions{})) GTEST_SKIP() << *why;
  test::KernelTableForTest pinned;  // the counts below are for the development VM's kernel
  // "1GB?" with hugetlb: the size exists and its pool has pages.
  auto pool = hugetlb_pool(1ull << 30);
  const bool gig =
      !backing_unusable(Backing::hugetlb, 1ull << 30, PoolOptions{}) && pool && pool->nr > 0;
  const std::map<std::string, std::size_t> expect = {
      {"quick.toml", 15},
      {"vendor-compare.toml", 21},
      {"cover-letter.toml", gig ? 378u : 252u},
      {"preempt-latency.toml", gig ? 9u : 4u},
      {"kernel-oracle.toml", 18},
      {"residency.toml", 2},
      // "host-reported?": measured only where free page reporting is active.
      {"seeds.toml", reporting_problem(machine_reporting()) ? 7u : 14u},
  };
  std::set<std::string> seen;
  for (const auto& p : files(kShipped, "")) {
    const std::string name = p.filename();
    seen.insert(name);
    EXPECT_EQ(first_line(p).rfind("# Question: ", 0), 0u)
        << name << " must start by saying what it answers";
    // cover-letter.toml names the x86_64 clear_page variants (stosb, ...):
    // another architecture refuses it, naming the first one.
    [[maybe_unused]] const bool x86_only = name == "cover-letter.toml";
    try {
      SweepConfig c = load_sweep_config(p.string());
#if !defined(__x86_64__)
      EXPECT_FALSE(x86_only) << name << " names x86_64 primitives, yet loaded here";
#endif
      auto points = expand_sweep(c);
      ASSERT_TRUE(expect.count(name)) << name << ": add its point count to this test";
      EXPECT_EQ(points.size(), expect.at(name)) << name;
      std::set<std::string> keys;
      for (const Point& pt : points)
        EXPECT_TRUE(keys.insert(point_key(pt)).second) << point_key(pt);
    } catch (const SetupError& e) {
#if defined(__x86_64__)
      ADD_FAILURE() << e.what();
#else
      if (!x86_only ||
          std::string(e.what()).find("axes.primitive: unknown 'stosb'") == std::string::npos)
        ADD_FAILURE() << e.what();
#endif
    }
  }
  for (const auto& [name, n] : expect) EXPECT_TRUE(seen.count(name)) << name << " is missing";
}

TEST(SweepShipped, QuickIsTheDefaultMatrix) {
  if (auto why = backing_unusable(Backing::thp, 2u << 20, PoolOptions{})) GTEST_SKIP() << *why;
  test::KernelTableForTest pinned;  // "kernel" is left-right on the development VM's 6.18
  SweepConfig c = load_sweep_config(kShipped + "/quick.toml");
  EXPECT_GE(c.settings.repetitions, 15u);
  EXPECT_EQ(c.settings.warmup, 2u);
  auto n = per_strategy(expand_sweep(c));
  for (const char* s : {"sequential", "left-right", "three-region", "extent", "kernel-fault"})
    EXPECT_EQ(n[s], 3) << s;
}

TEST(SweepShipped, PreemptLatencyRecordsBatches) {
  if (auto why = backing_unusable(Backing::thp, 2u << 20, PoolOptions{})) GTEST_SKIP() << *why;
  SweepConfig c = load_sweep_config(kShipped + "/preempt-latency.toml");
  EXPECT_TRUE(c.settings.record_batches);
  std::set<std::uint64_t> thp_batches;
  for (const Point& p : expand_sweep(c)) {
    EXPECT_EQ(p.strategy, "extent");
    if (p.backing == Backing::thp) {
      thp_batches.insert(p.batch);
    } else {
      EXPECT_EQ(p.folio_bytes, 1ull << 30);
    }
  }
  EXPECT_EQ(thp_batches, (std::set<std::uint64_t>{1, 8, 64, 512}));
}

}  // namespace
}  // namespace zs
