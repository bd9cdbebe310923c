// samples.csv, the one schema of raw samples (written by `run` and
// `measure --csv`, read by resume, the summary, report and compare): one row
// per sample and phase, the leading columns below, then one column per
// counter metric (those that could not be counted here too, always empty),
// then the trailing columns. A value that was not measured is an empty
// cell, never a 0.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace zs {

inline constexpr std::array<std::string_view, 16> kLeadingColumns = {
    "key",   "backing", "folio_size", "strategy", "primitive", "target", "access", "op",
    "cache", "evict",   "batch",      "width",    "rep",       "phase",  "ns",     "tsc"};
inline constexpr std::array<std::string_view, 13> kTrailingColumns = {
    "batch_max_ns",    "batches",       "huge",
    "multiplexed",     "pass",          "left_out",
    "fault_alloc_ns",  "fault_zero_ns", "fault_map_ns",
    "fault_untraced",  "alias_map_ns",  "host_settle_ns",
    "host_settle_slow"};
// Older samples.csv files, still read: written before the settle columns
// (without the last kSettleColumns), also before the alias column (without
// the kAliasColumns before them), or also before the fault anatomy
// (without the kAnatomyColumns before that).
inline constexpr std::size_t kSettleColumns = 2;
inline constexpr std::size_t kAliasColumns = 1;
inline constexpr std::size_t kAnatomyColumns = 4;
inline constexpr std::size_t kTrailingColumnsBefore =
    kTrailingColumns.size() - kSettleColumns - kAliasColumns - kAnatomyColumns;

struct SampleRow {
  std::string key, backing;
  std::uint64_t folio_size = 0;
  std::string strategy, primitive;  // primitive "" for kernel-fault
  std::uint64_t target = 0;         // the page the target resolved to
  std::string access, op, cache, evict;
  std::uint64_t batch = 0, width = 0, rep = 0;
  std::string phase;  // zero, fault, access
  std::uint64_t ns = 0;
  std::optional<std::uint64_t> tsc;  // none where there is no cycle counter
  // One per counter column, in the header's order.
  std::vector<std::optional<double>> counters;
  std::optional<double> batch_max_ns;  // zero phase with record_batches
  std::optional<std::uint64_t> batches;
  std::optional<bool> huge;         // none: backing not verified
  std::optional<bool> multiplexed;  // none: no valid counter reading
  std::optional<std::uint64_t> pass;
  std::string left_out;  // why the sample is not in the statistics; "" = kept
  // kernel-fault rows of the fault phase (measure/fault_anatomy.h): entry
  // to the folio's allocation, that to the next allocation (an upper bound
  // of the zeroing), the rest; none, with `fault_untraced` saying why.
  std::optional<std::uint64_t> fault_alloc_ns, fault_zero_ns, fault_map_ns;
  std::string fault_untraced;
  // Aliased plans' zero rows: the map/unmap sequence without the clears
  // (measure/alias_executor.h); none for every other row.
  std::optional<std::uint64_t> alias_map_ns;
  // Host-reported rows of the cost phase (zero, or fault for kernel-fault):
  // the touch of the harness's own pages before it (memory/own_pages.h),
  // its time and the pages that were slow; none for every other row.
  std::optional<std::uint64_t> host_settle_ns, host_settle_slow;

  bool kept() const { return left_out.empty(); }
};

// The columns of one samples.csv: the fixed ones around its counters.
struct SamplesLayout {
  std::vector<std::string> counters;
  bool anatomy = true;           // false: a file written before the fault anatomy columns
  bool alias = true;             // false: a file written before alias_map_ns
  bool settle = true;            // false: a file written before host_settle_ns
  std::size_t trailing() const;  // how many trailing columns this layout has
  std::vector<std::string> header() const;
};

// The row as one CSV record, with its line end (RFC 4180 quoting); with a
// layout, only the columns that layout has.
std::string format_row(const SampleRow& row);
std::string format_row(const SampleRow& row, const SamplesLayout& layout);
std::string format_header(const SamplesLayout& layout);

// A samples.csv read back and checked (results/samples_reader.cc): the
// header has the fixed columns in place; every row has the header's cell
// count, text where text belongs (no NUL, control character or invalid
// UTF-8) and numbers where numbers belong, a phase its strategy has, a key
// of the run (when the keys are given), and no second (key, rep, phase);
// every sample has all its phase rows (zero or, for kernel-fault, fault;
// then access). A last line without its line end is a crash mid-write, not
// a row (`torn`): of an interrupted run it is expected, and so is a last
// sample without all its rows (`unfinished`, left out); of a run that says
// it completed both are damage. Damage throws a SetupError
// "NAME:LINE: problem; the file is damaged (fix)" at its first line, or,
// lenient, leaves the row out and lists it in `damaged`.
struct ReadOptions {
  bool lenient = false;
  bool complete_run = false;
  const std::set<std::string>* keys = nullptr;  // the run's point keys, or null: any
};

enum class DamageKind { malformed, duplicated, incomplete, torn };

struct DamagedRow {
  int line = 0;
  DamageKind kind = DamageKind::malformed;
  std::string problem;  // "NAME:LINE: problem"
};

struct SamplesFile {
  SamplesLayout layout;
  std::vector<SampleRow> rows;  // whole samples, in file order
  bool torn = false;
  std::uint64_t unfinished = 0;     // rows of an interrupted run's last, partial sample
  std::vector<DamagedRow> damaged;  // lenient: the rows left out, in line order
  std::uint64_t rows_read = 0;      // rows, kept or left out (the torn line not counted)
  // Bytes of the text up to the end of its last whole sample: where a
  // resume cuts an interrupted run's unfinished sample and torn line off.
  std::uint64_t whole_bytes = 0;
};
SamplesFile parse_samples(std::string_view text, const std::string& name,
                          const ReadOptions& opt = {});
SamplesFile read_samples(const std::string& path, const ReadOptions& opt = {});

// "left out 3 damaged rows of NAME: 2 duplicated, 1 in an incomplete
// sample", or "" when nothing was.
std::string damage_summary(const SamplesFile& f, const std::string& name);

// The columns summary.csv summarises, as (name, value of a row): ns, tsc,
// every counter and batch_max_ns; what was not measured is nullopt.
std::vector<std::string> measured_columns(const SamplesLayout& layout);
std::vector<std::optional<double>> measured_values(const SampleRow& row);

}  // namespace zs
