// Replicates (`run --replicates N`): the per-replicate order seeds, the
// parent's meta.json (written, read, damage refused with the fix), the
// parent's loop with a fake launcher (what each child is started with,
// interruption and resume), and the loader that turns a parent into its
// runs. The system test runs the real thing (replicates_run_test.cc).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "results/replicates_meta.h"
#include "results/results_runs.h"
#include "support/files.h"
#include "support/test_dir.h"
#include "sweep/replicates.h"
#include "sweep/run_meta.h"

namespace zs {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = ZS_SOURCE_DIR;

using test::slurp;

TEST(ReplicateSeed, DistinctPerReplicateAndStable) {
  std::set<std::uint64_t> seen;
  for (int i = 1; i <= 100; ++i) {
    const std::uint64_t s = replicate_seed(1, i);
    EXPECT_TRUE(seen.insert(s).second) << "replicate " << i;
    EXPECT_NE(s, 1u);
    EXPECT_EQ(s, replicate_seed(1, i));  // the same on every resume
  }
  EXPECT_NE(replicate_seed(1, 1), replicate_seed(2, 1));
  // Recorded values: a change of the rule would re-draw old replicates' orders.
  EXPECT_EQ(replicate_seed(7, 1), 7191089600892374487ull);
  EXPECT_EQ(replicate_seed(7, 2), 309689372594955804ull);
}

TEST(ReplicatesMeta, PlanWriteReadRoundTrip) {
  const fs::path dir = test::fresh_test_dir("zs_repmeta_");
  ReplicatesMeta m = plan_replicates(3, 7, config_fingerprint("x"), "lbl", {{"wait", false}});
  ASSERT_EQ(m.runs.size(), 3u);
  EXPECT_EQ(m.runs[2].dir, "rep-3");
  EXPECT_EQ(m.runs[1].seed, replicate_seed(7, 2));
  EXPECT_EQ(m.runs[0].status, "pending");
  m.started = "2026-11-28T00:00:00Z";
  m.runs[0].status = "complete";
  m.runs[0].exit_code = 0;
  write_replicates_meta(dir.string(), m);
  EXPECT_TRUE(is_replicates_parent(dir.string()));
  const nlohmann::json j = nlohmann::json::parse(slurp(dir / "meta.json"));
  EXPECT_EQ(j["kind"], "replicates");
  EXPECT_EQ(j["replicates"], 3);
  EXPECT_EQ(j["runs"][0]["exit_code"], 0);
  EXPECT_TRUE(j["runs"][1]["exit_code"].is_null());
  const ReplicatesMeta back = read_replicates_meta(dir.string());
  EXPECT_EQ(to_json(back), to_json(m));
  EXPECT_FALSE(is_replicates_parent((kSource / "tests/fixtures/results/quick-a").string()));
  EXPECT_FALSE(is_replicates_parent((dir / "nowhere").string()));
  fs::remove_all(dir);
}

// The checked-in parent (written by this code) still reads: the format is stable.
TEST(ReplicatesMeta, CheckedInFixtureReads) {
  const ReplicatesMeta m = read_replicates_meta((kSource / "tests/fixtures/replicates").string());
  ASSERT_EQ(m.runs.size(), 2u);
  EXPECT_EQ(m.status, "complete");
  EXPECT_EQ(m.runs[1].seed, replicate_seed(1, 2));
}

TEST(ReplicatesMeta, DamageIsRefusedNamingTheFieldAndTheFix) {
  const nlohmann::json good =
      nlohmann::json::parse(slurp(kSource / "tests/fixtures/replicates/meta.json"));
  struct Case {
    std::function<void(nlohmann::json&)> damage;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {[](auto& j) { j["kind"] = "run"; }, "\"kind\" is not \"replicates\""},
      {[](auto& j) { j["runs"][1]["dir"] = "../x"; }, "runs[1].dir is '../x', expected 'rep-2'"},
      {[](auto& j) { j["runs"][0]["status"] = "done"; }, "runs[0].status 'done' is not one of"},
      {[](auto& j) { j["runs"][0].erase("seed"); }, "runs[0].seed is missing"},
      {[](auto& j) { j["runs"].erase(1); }, "runs holds 1 runs"},
      {[](auto& j) { j.erase("config_fingerprint"); }, "config_fingerprint is missing"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = good;
    c.damage(j);
    try {
      replicates_meta_from_json(j, "P/meta.json");
      ADD_FAILURE() << "accepted: " << c.expect;
    } catch (const SetupError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("P/meta.json: ", 0), 0u) << what;
      EXPECT_NE(what.find(c.expect), std::string::npos) << what;
      EXPECT_NE(what.find("restore it from a copy"), std::string::npos) << what;
    }
  }
}

// A child that writes what zeroscope run would: its directory and meta.json
// with a status, and exits with the code given.
class FakeLauncher : public ReplicateLauncher {
 public:
  std::vector<std::vector<std::string>> calls;
  std::vector<std::pair<std::string, int>> outcomes;  // per call: status ("" = no dir), exit code
  bool stop = false;
  int run(const std::vector<std::string>& args) override {
    calls.push_back(args);
    const auto [status, code] = outcomes.at(calls.size() - 1);
    std::string dir;
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
      if (args[i] == "--out" || args[i] == "--resume") dir = args[i + 1];
    if (!status.empty()) {
      fs::create_directories(dir);
      std::ofstream(dir + "/meta.json") << nlohmann::json{{"status", status}}.dump();
    }
    return code;
  }
  bool stop_requested() override { return stop; }
};

TEST(RunReplicates, EachChildGetsItsDirectoryAndSeedAndAStopLeavesAResume) {
  const fs::path dir = test::fresh_test_dir("zs_reprun_");
  const std::string parent = (dir / "p").string();
  ReplicatesMeta m = plan_replicates(3, 5, config_fingerprint("cfg"), "", {});
  start_replicates(parent, "cfg", m);
  EXPECT_THROW(start_replicates(parent, "cfg", m), SetupError);  // exists
  m = resumable_replicates(parent);
  ReplicatesRun how{parent, {"--wait"}, {"--wait"}};
  FakeLauncher l;
  l.outcomes = {{"complete", 0}, {"interrupted", 130}};
  ReplicatesOutcome out = run_replicates(how, m, l);
  EXPECT_EQ(out.status, "interrupted");
  EXPECT_EQ(out.exit_code, 130);
  EXPECT_EQ(out.stopped_at, 2);
  ASSERT_EQ(l.calls.size(), 2u);
  const std::vector<std::string> first = {"run",
                                          parent + "/config.toml",
                                          "--out",
                                          parent + "/rep-1",
                                          "--replicate-number",
                                          "1",
                                          "--replicate-seed",
                                          std::to_string(replicate_seed(5, 1)),
                                          "--wait"};
  EXPECT_EQ(l.calls[0], first);
  ReplicatesMeta disk = read_replicates_meta(parent);
  EXPECT_EQ(disk.status, "interrupted");
  EXPECT_EQ(disk.runs[0].status, "complete");
  EXPECT_EQ(disk.runs[1].status, "interrupted");
  EXPECT_EQ(disk.runs[1].exit_code, 130);
  EXPECT_EQ(disk.runs[2].status, "pending");

  // The resume: rep-1 is skipped, rep-2 resumed, rep-3 started.
  FakeLauncher l2;
  l2.outcomes = {{"complete", 0}, {"complete", 0}};
  m = resumable_replicates(parent);
  out = run_replicates(how, m, l2);
  EXPECT_EQ(out.status, "complete");
  ASSERT_EQ(l2.calls.size(), 2u);
  EXPECT_EQ(l2.calls[0],
            (std::vector<std::string>{"run", "--resume", parent + "/rep-2", "--wait"}));
  EXPECT_EQ(l2.calls[1][3], parent + "/rep-3");
  EXPECT_EQ(read_replicates_meta(parent).status, "complete");
  fs::remove_all(dir);
}

TEST(RunReplicates, ASetupFailureLeavesThePendingRunAndAStopStartsNothing) {
  const fs::path dir = test::fresh_test_dir("zs_reprun_");
  const std::string parent = (dir / "p").string();
  ReplicatesMeta m = plan_replicates(2, 5, config_fingerprint("cfg"), "", {});
  start_replicates(parent, "cfg", m);
  FakeLauncher l;
  l.outcomes = {{"", 2}};  // refused before writing anything (e.g. a pool too small)
  ReplicatesOutcome out = run_replicates({parent, {}, {}}, m, l);
  EXPECT_EQ(out.status, "failed");
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_EQ(read_replicates_meta(parent).runs[0].status, "pending");
  FakeLauncher stopped;
  stopped.stop = true;
  out = run_replicates({parent, {}, {}}, m, stopped);
  EXPECT_EQ(out.status, "interrupted");
  EXPECT_TRUE(stopped.calls.empty());
  // An edited config.toml is not resumed.
  std::ofstream(parent + "/config.toml") << "changed";
  try {
    resumable_replicates(parent);
    ADD_FAILURE() << "a changed config.toml was resumed";
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("config.toml changed since the replicates started"),
              std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

// A parent made of two checked-in runs of one config (quick-a, quick-c).
fs::path make_parent(const fs::path& dir) {
  const fs::path p = dir / "parent";
  fs::create_directories(p);
  fs::copy(kSource / "tests/fixtures/replicates/meta.json", p / "meta.json");
  fs::copy(kSource / "tests/fixtures/results/quick.toml", p / "config.toml");
  fs::copy(kSource / "tests/fixtures/results/quick-a", p / "rep-1", fs::copy_options::recursive);
  fs::copy(kSource / "tests/fixtures/results/quick-c", p / "rep-2", fs::copy_options::recursive);
  return p;
}

TEST(LoadRuns, OneForADirectoryAndTheReplicatesInOrderForAParent) {
  const fs::path dir = test::fresh_test_dir("zs_loadruns_");
  EXPECT_EQ(load_runs((kSource / "tests/fixtures/results/quick-a").string()).size(), 1u);
  const fs::path p = make_parent(dir);
  const auto runs = load_runs(p.string());
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].dir, p.string() + "/rep-1");
  EXPECT_EQ(runs[1].dir, p.string() + "/rep-2");
  EXPECT_FALSE(runs[0].data.empty());
  fs::remove_all(dir);
}

TEST(LoadRuns, AMissingOrIncompleteReplicateIsRefusedOrLeftOutWithLenient) {
  const fs::path dir = test::fresh_test_dir("zs_loadruns_");
  const fs::path p = make_parent(dir);
  fs::remove_all(p / "rep-2");
  try {
    load_runs(p.string());
    ADD_FAILURE() << "a missing replicate was accepted";
  } catch (const SetupError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(p.string() +
                             "/rep-2: replicate 2 of 2: missing; complete the replicates "
                             "with `resume_dir` " +
                             p.string() + ", or leave it out with `lenient`",
                         0),
              0u)
        << what;
  }
  const auto runs = load_runs(p.string(), true);
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_FALSE(runs[0].notes.empty());
  EXPECT_NE(runs[0].notes.back().find("rep-2 left out (missing)"), std::string::npos);
  // A replicate the parent does not call complete (interrupted) is not a whole run.
  ReplicatesMeta m = read_replicates_meta(p.string());
  m.runs[0].status = "interrupted";
  write_replicates_meta(p.string(), m);
  try {
    load_runs(p.string());
    ADD_FAILURE();
  } catch (const SetupError& e) {
    EXPECT_NE(std::string(e.what()).find("rep-1: replicate 1 of 2: interrupted, not complete"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(load_runs(p.string(), true), SetupError);  // none left
  fs::remove_all(dir);
}

}  // namespace
}  // namespace zs
