// The results schema: RFC 4180 quoting, samples.csv read back and checked
// (torn last line, wrong cell count, numbers where numbers belong, header),
// the durable writer, and summary.csv from the stats module. Pure: files
// only under the test's temporary directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/errors.h"
#include "results/csv.h"
#include "results/results_dir.h"
#include "results/samples_schema.h"
#include "results/summary.h"
#include "stats/stats.h"

namespace zs {
namespace {

std::string message_of(std::string_view text) {
  try {
    parse_samples(text, "s.csv");
  } catch (const SetupError& e) {
    return e.what();
  }
  return "";
}

SampleRow row(std::string key, std::string phase, std::uint64_t rep, std::uint64_t ns) {
  SampleRow r;
  r.key = std::move(key);
  r.backing = "thp";
  r.folio_size = 2097152;
  r.strategy = "extent";
  r.primitive = "stosb";
  r.access = "page";
  r.op = "write";
  r.cache = "cold";
  r.evict = "pool";
  r.width = 2;
  r.rep = rep;
  r.phase = std::move(phase);
  r.ns = ns;
  r.counters = {std::nullopt, 3.0};
  r.huge = true;
  return r;
}

const SamplesLayout kLayout{{"page_faults", "energy_pkg"}};

std::string file(const std::vector<SampleRow>& rows) {
  std::string text = format_header(kLayout);
  for (const auto& r : rows) text += format_row(r);
  return text;
}

std::string temp_dir() {
  std::string dir = ::testing::TempDir() + "/zs_results_" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(Csv, QuotesOnlyWhatMustBeQuotedAndReadsItBack) {
  EXPECT_EQ(csv::quote("plain"), "plain");
  EXPECT_EQ(csv::quote("a,b"), "\"a,b\"");
  EXPECT_EQ(csv::quote("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv::quote("two\nlines"), "\"two\nlines\"");
  const std::vector<std::string> cells = {"a,b", "", "say \"hi\"", "two\nlines", "x"};
  csv::Parsed p = csv::parse(csv::record(cells) + "next\r\n");
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_EQ(p.records[0].cells, cells);
  EXPECT_EQ(p.records[1].cells, std::vector<std::string>{"next"});
  EXPECT_EQ(p.records[1].line, 3);  // the quoted line break counts
  EXPECT_FALSE(p.torn);
}

TEST(Csv, ALastRecordWithoutItsLineEndIsTorn) {
  csv::Parsed p = csv::parse("a,b\nc,");
  EXPECT_EQ(p.records.size(), 1u);
  EXPECT_TRUE(p.torn);
  EXPECT_EQ(p.torn_line, 2);
  EXPECT_TRUE(csv::parse("a,\"open\nquote").torn);
  EXPECT_EQ(csv::parse("a\"b,c\n").malformed_line, 1);
}

TEST(SamplesSchema, HeaderIsTheFixedColumnsAroundTheCounters) {
  EXPECT_EQ(format_header(kLayout),
            "key,backing,folio_size,strategy,primitive,target,access,op,cache,evict,batch,width,"
            "rep,phase,ns,"
            "tsc,page_faults,energy_pkg,batch_max_ns,batches,huge,multiplexed,pass,left_out,"
            "fault_alloc_ns,fault_zero_ns,fault_map_ns,fault_untraced,alias_map_ns,host_settle_ns,"
            "host_settle_slow\n");
}

// A samples.csv written before the fault anatomy columns ends at left_out:
// still read, its rows without spans, and rewritten (a resume's repair)
// with the columns it had.
TEST(SamplesSchema, AFileWrittenBeforeTheAnatomyColumnsIsStillRead) {
  SamplesLayout old = kLayout;
  old.anatomy = false;
  EXPECT_EQ(format_header(old),
            "key,backing,folio_size,strategy,primitive,target,access,op,cache,evict,batch,width,"
            "rep,phase,ns,"
            "tsc,page_faults,energy_pkg,batch_max_ns,batches,huge,multiplexed,pass,left_out\n");
  SampleRow z = row("k", "zero", 0, 100), a = row("k", "access", 0, 9);
  const std::string text = format_header(old) + format_row(z, old) + format_row(a, old);
  EXPECT_EQ(format_row(a, old),
            "k,thp,2097152,extent,stosb,0,page,write,cold,pool,0,2,0,access,9,,,3,,,1,,,\n");
  SamplesFile f = parse_samples(text, "s.csv");
  EXPECT_FALSE(f.layout.anatomy);
  EXPECT_EQ(f.layout.counters, kLayout.counters);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_FALSE(f.rows[0].fault_zero_ns.has_value());
  std::string again = format_header(f.layout);
  for (const SampleRow& r : f.rows) again += format_row(r, f.layout);
  EXPECT_EQ(again, text);
}

TEST(SamplesSchema, FaultSpansRoundTripWithTheirReason) {
  const auto fault = [](std::uint64_t rep) {
    SampleRow r = row("f", "fault", rep, 170000);
    r.strategy = "kernel-fault";
    r.primitive = "";
    return r;
  };
  SampleRow traced = fault(0), untraced = fault(1);
  traced.fault_alloc_ns = 2500;
  traced.fault_zero_ns = 167000;
  traced.fault_map_ns = 500;
  untraced.fault_untraced = "tracefs: mount: Operation not permitted";
  SampleRow a0 = row("f", "access", 0, 9), a1 = row("f", "access", 1, 9);
  a0.strategy = a1.strategy = "kernel-fault";
  a0.primitive = a1.primitive = "";
  EXPECT_EQ(format_row(traced),
            "f,thp,2097152,kernel-fault,,0,page,write,cold,pool,0,2,0,fault,170000,,,3,,,1,,,,2500,"
            "167000,500,,,,\n");
  SamplesFile f = parse_samples(file({traced, a0, untraced, a1}), "s.csv");
  EXPECT_TRUE(f.layout.anatomy);
  ASSERT_EQ(f.rows.size(), 4u);
  EXPECT_EQ(f.rows[0].fault_alloc_ns, 2500u);
  EXPECT_EQ(f.rows[0].fault_zero_ns, 167000u);
  EXPECT_EQ(f.rows[0].fault_map_ns, 500u);
  EXPECT_FALSE(f.rows[1].fault_zero_ns.has_value());
  EXPECT_FALSE(f.rows[2].fault_zero_ns.has_value());
  EXPECT_EQ(f.rows[2].fault_untraced, untraced.fault_untraced);
  // A span that is not a number is damage, named by its column.
  std::string bad = file({traced, a0});
  bad.replace(bad.find(",167000,"), 8, ",16x000,");
  EXPECT_NE(message_of(bad).find("column 'fault_zero_ns': '16x000' is not an unsigned integer"),
            std::string::npos);
}

// alias_map_ns: the mapping-only time of an aliased plan's zero row, empty
// for every other row, read back as written.
TEST(SamplesSchema, AliasMapNsRoundTripsAndIsEmptyElsewhere) {
  SampleRow z = row("a", "zero", 0, 250000), a = row("a", "access", 0, 9);
  z.strategy = a.strategy = "alias-page";
  z.alias_map_ns = 48230;
  EXPECT_EQ(
      format_row(z),
      "a,thp,2097152,alias-page,stosb,0,page,write,cold,pool,0,2,0,zero,250000,,,3,,,1,,,,,,,,"
      "48230,,\n");
  EXPECT_EQ(format_row(a).substr(format_row(a).size() - 5), ",,,,\n");
  SamplesFile f = parse_samples(file({z, a}), "s.csv");
  EXPECT_TRUE(f.layout.alias);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].alias_map_ns, 48230u);
  EXPECT_FALSE(f.rows[1].alias_map_ns.has_value());
  std::string bad = file({z, a});
  bad.replace(bad.find(",48230"), 6, ",48x30");
  EXPECT_NE(message_of(bad).find("column 'alias_map_ns': '48x30' is not an unsigned integer"),
            std::string::npos);
}

// A samples.csv written before alias_map_ns ends at fault_untraced: still
// read, without the column, and rewritten with the columns it had.
TEST(SamplesSchema, AFileWrittenBeforeTheAliasColumnIsStillRead) {
  SamplesLayout old = kLayout;
  old.alias = false;
  EXPECT_EQ(format_header(old).substr(format_header(old).size() - 16), ",fault_untraced\n");
  SampleRow z = row("k", "zero", 0, 100), a = row("k", "access", 0, 9);
  z.alias_map_ns = 7;  // not written: the layout has no such column
  const std::string text = format_header(old) + format_row(z, old) + format_row(a, old);
  SamplesFile f = parse_samples(text, "s.csv");
  EXPECT_TRUE(f.layout.anatomy);
  EXPECT_FALSE(f.layout.alias);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_FALSE(f.rows[0].alias_map_ns.has_value());
  std::string again = format_header(f.layout);
  for (const SampleRow& r : f.rows) again += format_row(r, f.layout);
  EXPECT_EQ(again, text);
}

// host_settle_ns, host_settle_slow: the touch of the harness's own pages
// before a host-reported cost phase; written and read back, empty elsewhere.
TEST(SamplesSchema, HostSettleColumnsRoundTrip) {
  SampleRow z = row("h", "zero", 0, 400), a = row("h", "access", 0, 9);
  z.host_settle_ns = 12345678;
  z.host_settle_slow = 97;
  EXPECT_EQ(format_row(z).substr(format_row(z).size() - 14), ",,12345678,97\n");
  SamplesFile f = parse_samples(file({z, a}), "s.csv");
  EXPECT_TRUE(f.layout.settle);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].host_settle_ns, 12345678u);
  EXPECT_EQ(f.rows[0].host_settle_slow, 97u);
  EXPECT_FALSE(f.rows[1].host_settle_ns.has_value());
  std::string bad = file({z, a});
  bad.replace(bad.find(",97\n"), 3, ",9x");
  EXPECT_NE(message_of(bad).find("column 'host_settle_slow': '9x' is not an unsigned integer"),
            std::string::npos);
}

// A samples.csv written before the settle columns ends at alias_map_ns:
// still read, without them, and rewritten with the columns it had.
TEST(SamplesSchema, AFileWrittenBeforeTheSettleColumnsIsStillRead) {
  SamplesLayout old = kLayout;
  old.settle = false;
  EXPECT_EQ(format_header(old).substr(format_header(old).size() - 14), ",alias_map_ns\n");
  SampleRow z = row("k", "zero", 0, 100), a = row("k", "access", 0, 9);
  z.alias_map_ns = 5;
  z.host_settle_ns = 7;  // not written: the layout has no such column
  const std::string text = format_header(old) + format_row(z, old) + format_row(a, old);
  SamplesFile f = parse_samples(text, "s.csv");
  EXPECT_TRUE(f.layout.alias);
  EXPECT_FALSE(f.layout.settle);
  ASSERT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.rows[0].alias_map_ns, 5u);
  EXPECT_FALSE(f.rows[0].host_settle_ns.has_value());
  std::string again = format_header(f.layout);
  for (const SampleRow& r : f.rows) again += format_row(r, f.layout);
  EXPECT_EQ(again, text);
}

TEST(SamplesSchema, RowsRoundTripAndMissingValuesStayEmpty) {
  SampleRow a = row("k/1", "zero", 0, 1500);
  a.tsc = 4000;
  a.counters = {12.0, 0.125};
  a.batch_max_ns = 700.4;
  a.batches = 3;
  a.multiplexed = false;
  a.pass = 1;
  SampleRow b = row("k,2", "access", 1, 20);  // a comma in a cell is quoted
  b.huge.reset();
  b.left_out = "backing unverified";
  EXPECT_EQ(
      format_row(b),
      "\"k,2\",thp,2097152,extent,stosb,0,page,write,cold,pool,0,2,1,access,20,,,3,,,,,,backing "
      "unverified,,,,,,,\n");
  // Each with the other phase of its sample: the reader takes whole samples.
  SampleRow a_access = row("k/1", "access", 0, 9), b_zero = row("k,2", "zero", 1, 9);
  b_zero.left_out = b.left_out;
  SamplesFile f = parse_samples(file({a, b_zero, b, a_access}), "s.csv");
  EXPECT_EQ(f.layout.counters, kLayout.counters);
  ASSERT_EQ(f.rows.size(), 4u);
  f.rows.erase(f.rows.begin() + 1);  // b_zero
  EXPECT_EQ(f.rows[0].tsc, 4000u);
  EXPECT_EQ(f.rows[0].counters[0], 12.0);
  EXPECT_EQ(f.rows[0].counters[1], 0.125);
  EXPECT_EQ(f.rows[0].batch_max_ns, 700.0);  // written as whole ns
  EXPECT_EQ(f.rows[0].pass, 1u);
  EXPECT_EQ(f.rows[0].multiplexed, false);
  EXPECT_EQ(f.rows[1].key, "k,2");
  EXPECT_FALSE(f.rows[1].tsc.has_value());
  EXPECT_FALSE(f.rows[1].counters[0].has_value());
  EXPECT_FALSE(f.rows[1].huge.has_value());
  EXPECT_FALSE(f.rows[1].kept());
}

TEST(SamplesSchema, HeaderOnlyIsNoRowsAndEmptyIsAnError) {
  SamplesFile f = parse_samples(format_header(kLayout), "s.csv");
  EXPECT_TRUE(f.rows.empty());
  EXPECT_FALSE(f.torn);
  EXPECT_EQ(message_of(""),
            "s.csv: no header line; not a samples.csv, or written by a run that stopped before its "
            "first sample");
}

TEST(SamplesSchema, ATornLastLineIsNotARow) {
  std::string text = file({row("k", "zero", 0, 5), row("k", "access", 0, 6)});
  text += "k,thp,2097152,ext";
  SamplesFile f = parse_samples(text, "s.csv");
  EXPECT_TRUE(f.torn);
  EXPECT_EQ(f.rows.size(), 2u);
}

// Damaged files: each refused with the line, the column and the fix.
const std::string kFix =
    "; the file is damaged (rerun with `lenient` to leave the damaged rows out, or restore the "
    "file)";

TEST(SamplesSchema, DamagedFilesAreRefusedWithLineAndFix) {
  const std::string ok = file({row("k", "zero", 0, 5), row("k", "access", 0, 6)});
  auto with = [](std::string line, const std::string& from, const std::string& to) {
    line.replace(line.find(from), from.size(), to);
    return line;
  };
  const std::string next = format_row(row("k", "zero", 1, 6));
  EXPECT_EQ(message_of(ok + "k,thp,2097152\n"), "s.csv:4: 3 cells where the header has 31" + kFix);
  EXPECT_EQ(message_of(ok + with(next, ",6,", ",6us,")),
            "s.csv:4: column 'ns': '6us' is not an unsigned integer" + kFix);
  EXPECT_EQ(message_of(ok + with(next, ",3,", ",x3,")),
            "s.csv:4: column 'energy_pkg': 'x3' is not a number" + kFix);
  EXPECT_EQ(message_of(ok + with(next, ",1,,,,,,,,,,\n", ",yes,,,,,,,,,,\n")),
            "s.csv:4: column 'huge': 'yes' is not 0, 1 or empty" + kFix);
  EXPECT_EQ(
      message_of(ok + with(next, ",zero,", ",fault,")),
      "s.csv:4: column 'phase': 'fault' is not a phase of strategy extent (zero, access)" + kFix);
  EXPECT_EQ(message_of("backing,folio_size,strategy\n")
                .rfind("s.csv:1: the header is not samples.csv's (key,", 0),
            0u);
  EXPECT_EQ(message_of(ok + "k,th\"p,1\n"),
            "s.csv:4: a quote inside an unquoted cell or after a quoted one" + kFix);
  EXPECT_EQ(message_of(ok + with(next, "k,", std::string("k\0x,", 4))),
            "s.csv:4: column 'key' holds a NUL byte" + kFix);
  EXPECT_EQ(message_of(ok + with(next, "k,", "k\xff,")),
            "s.csv:4: column 'key' holds bytes that are not UTF-8" + kFix);
  EXPECT_EQ(message_of(ok + with(next, "k,", "k\x1b,")),
            "s.csv:4: column 'key' holds control character 0x1b" + kFix);
  // A quote never closed swallows the rest of the file: not a torn last line.
  EXPECT_EQ(message_of(ok + with(next, "k,", "\"k,") + format_row(row("k", "access", 1, 6))),
            "s.csv:4: a quote opened here is never closed (the lines after it are lost in one "
            "cell) (and 1 more damaged row)" +
                kFix);
  // UTF-8 text is text.
  EXPECT_EQ(message_of(ok + with(next, "k,", "k\xc2\xb5,") +
                       format_row(row("k\xc2\xb5", "access", 1, 6))),
            "");
}

TEST(SamplesSchema, DuplicatedRowsAndIncompleteSamplesAreDamage) {
  const std::string two = file({row("k", "zero", 0, 5), row("k", "access", 0, 6),
                                row("k", "zero", 1, 7), row("k", "access", 1, 8)});
  EXPECT_EQ(message_of(two + format_row(row("k", "zero", 0, 99))),
            "s.csv:6: sample 0 of k: a second zero row (the first is line 2)" + kFix);
  // A sample without its access row, not at the end: damage.
  const std::string gap =
      file({row("k", "zero", 0, 5), row("k", "zero", 1, 7), row("k", "access", 1, 8)});
  EXPECT_EQ(message_of(gap), "s.csv:2: sample 0 of k has no access row" + kFix);

  // Lenient: left out and counted; the medians see only whole samples.
  ReadOptions lenient;
  lenient.lenient = true;
  SamplesFile f =
      parse_samples(two + format_row(row("k", "zero", 0, 99)) + "k,x\n", "s.csv", lenient);
  EXPECT_EQ(f.rows.size(), 4u);
  EXPECT_EQ(f.rows_read, 6u);
  ASSERT_EQ(f.damaged.size(), 2u);
  EXPECT_EQ(f.damaged[0].kind, DamageKind::duplicated);
  EXPECT_EQ(f.damaged[1].kind, DamageKind::malformed);
  EXPECT_EQ(damage_summary(f, "samples.csv"),
            "left out 2 damaged rows of samples.csv: 1 malformed, 1 duplicated (the first at line "
            "6)");
  f = parse_samples(gap, "s.csv", lenient);
  EXPECT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(damage_summary(f, "s.csv"),
            "left out 1 damaged row of s.csv: 1 in an incomplete sample (the first at line 2)");
  EXPECT_EQ(damage_summary(parse_samples(two, "s.csv", lenient), "s.csv"), "");
}

// The last sample of an interrupted run may lack rows (its one write was
// cut): left out as unfinished. Of a completed run it is damage.
TEST(SamplesSchema, TheLastPartialSampleOfAnInterruptedRunIsUnfinished) {
  const std::string text =
      file({row("k", "zero", 0, 5), row("k", "access", 0, 6), row("k", "zero", 1, 7)}) + "k,th";
  SamplesFile f = parse_samples(text, "s.csv");
  EXPECT_TRUE(f.torn);
  EXPECT_EQ(f.unfinished, 1u);
  EXPECT_EQ(f.rows.size(), 2u);
  EXPECT_EQ(f.whole_bytes, file({row("k", "zero", 0, 5), row("k", "access", 0, 6)}).size());
  EXPECT_EQ(parse_samples(file({row("k", "zero", 0, 5)}), "s.csv").whole_bytes,
            format_header(kLayout).size());
  const std::string whole = file({row("k", "zero", 0, 5), row("k", "access", 0, 6)});
  EXPECT_EQ(parse_samples(whole, "s.csv").whole_bytes, whole.size());
  ReadOptions complete;
  complete.complete_run = true;
  try {
    parse_samples(text, "s.csv", complete);
    ADD_FAILURE() << "a completed run's torn line was accepted";
  } catch (const SetupError& e) {
    EXPECT_EQ(std::string(e.what()),
              "s.csv:4: sample 1 of k has no access row (and 1 more "
              "damaged row)" +
                  kFix);
  }
  complete.lenient = true;
  f = parse_samples(text, "s.csv", complete);
  EXPECT_FALSE(f.torn);
  ASSERT_EQ(f.damaged.size(), 2u);
  EXPECT_EQ(f.damaged[1].kind, DamageKind::torn);
  EXPECT_EQ(f.damaged[1].problem,
            "s.csv:5: the last line has no line end (cut short), but meta.json says the run "
            "completed");
}

TEST(SamplesSchema, RowsOfPointsTheRunDoesNotHaveAreDamage) {
  const std::set<std::string> keys = {"k"};
  ReadOptions opt;
  opt.keys = &keys;
  const std::string text =
      file({row("k", "zero", 0, 5), row("k", "access", 0, 6), row("q", "zero", 0, 5)});
  try {
    parse_samples(text, "s.csv", opt);
    ADD_FAILURE() << "an unknown key was accepted";
  } catch (const SetupError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "s.csv:4: column 'key': 'q' is not a point of the run (meta.json's config.points)" + kFix);
  }
}

TEST(SamplesWriter, AppendsReadsBackAndCutsATornLineOnResume) {
  const std::string path = temp_dir() + "/samples.csv";
  std::filesystem::remove(path);
  {
    SamplesWriter w(path, kLayout);
    w.append({row("k", "zero", 0, 5), row("k", "access", 0, 6)});
  }
  {
    std::ofstream torn(path, std::ios::app);
    torn << "k,thp,20";
  }
  EXPECT_TRUE(read_samples(path).torn);
  {
    SamplesWriter w(path, kLayout);  // resume: the torn line goes
    SampleRow zero = row("k", "zero", 1, 7), left = row("k", "access", 1, 7);
    zero.left_out = left.left_out = "not huge";
    w.append({zero, left});
  }
  SamplesFile f = read_samples(path);
  EXPECT_FALSE(f.torn);
  EXPECT_EQ(f.rows.size(), 4u);
  CompletedSamples c = read_completed(path);
  EXPECT_EQ(c.done.size(), 2u);
  EXPECT_EQ(c.rows, 4u);
  EXPECT_EQ(c.left_out.at("not huge"), 1u);
  EXPECT_THROW(SamplesWriter(path, SamplesLayout{{"cycles"}}), SetupError);
}

TEST(Summary, ComputedByStatsOverKeptMeasuredValues) {
  SamplesFile f;
  f.layout = kLayout;
  const std::vector<double> ns = {10, 40, 20, 30, 1000};
  for (std::size_t i = 0; i < ns.size(); ++i) {
    SampleRow r = row("k", "zero", i, std::uint64_t(ns[i]));
    r.counters = {i == 0 ? std::nullopt : std::optional<double>(double(i)), std::nullopt};
    if (i == 4) r.left_out = "multiplexed";
    f.rows.push_back(r);
  }
  SampleRow access = row("k", "access", 0, 7);
  access.counters = {std::nullopt, std::nullopt};
  f.rows.push_back(access);
  const std::vector<SummaryRow> s = summarize_samples(f);
  // (k, zero): ns, page_faults; energy_pkg, tsc and batch_max_ns never measured.
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].column, "ns");
  const std::vector<double> kept = {10, 40, 20, 30};
  const stats::Summary want = stats::summarize(kept);
  EXPECT_EQ(s[0].s.n, 4u);
  EXPECT_EQ(s[0].s.median, want.median);
  EXPECT_EQ(s[0].s.p95, want.p95);
  EXPECT_EQ(s[1].column, "page_faults");
  EXPECT_EQ(s[1].s.n, 3u);  // the empty cell is not a 0
  EXPECT_EQ(s[2].phase, "access");
  const std::string text = format_summary(s);
  EXPECT_EQ(text.substr(0, text.find('\n')), "key,phase,column,n,mean,median,stddev,min,p5,p95");
  EXPECT_NE(text.find("\nk,zero,ns,4,25,25,12.9099,10,11.5,38.5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nk,access,ns,1,7,7,,7,7,7\n"), std::string::npos)
      << text;  // no stddev of one
}

}  // namespace
}  // namespace zs
