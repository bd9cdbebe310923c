// The validating reader of samples.csv (declared in results/samples_schema.h):
// every row is checked on its own (cells, bytes, numbers, phase, key), then
// against the others (a second (key, rep, phase), a sample without all its
// phase rows). Damage is refused at its first line, or, lenient, left out
// and counted; a median is never computed from a damaged row without a word.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "measure/zeroing_strategy.h"
#include "results/csv.h"
#include "results/samples_schema.h"

namespace zs {

namespace {

// The fewest columns a header has: an old one, without the anatomy columns.
constexpr std::size_t kFixed = kLeadingColumns.size() + kTrailingColumnsBefore;

// A row's problem, without the file and line (the reader adds them).
struct Bad {
  std::string problem;
};

// Where a cell holds what no writer writes: a NUL, a control character,
// or bytes that are not UTF-8. "" when it is text.
std::string not_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return "a NUL byte";
    if (c < 0x20 || c == 0x7f) return fmt::format("control character 0x{:02x}", c);
    const std::size_t n = c < 0x80         ? 1
                          : (c >> 5) == 6  ? 2
                          : (c >> 4) == 14 ? 3
                          : (c >> 3) == 30 ? 4
                                           : 0;
    if (n == 0 || i + n > s.size()) return "bytes that are not UTF-8";
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return "bytes that are not UTF-8";
    i += n;
  }
  return "";
}

// Reads one row's cells, naming the column of a bad one.
struct CellReader {
  const csv::Record& rec;
  const std::vector<std::string>& header;

  [[noreturn]] void bad(std::size_t i, std::string_view what) const {
    const std::string& s = rec.cells[i];
    throw Bad{fmt::format("column '{}': '{}' is not {}", header[i],
                          s.size() <= 40 ? s : s.substr(0, 37) + "...", what)};
  }
  const std::string& text(std::size_t i) const { return rec.cells[i]; }
  std::optional<std::uint64_t> opt_u64(std::size_t i) const {
    const std::string& s = rec.cells[i];
    if (s.empty()) return std::nullopt;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) bad(i, "an unsigned integer");
    return v;
  }
  std::uint64_t u64(std::size_t i) const {
    auto v = opt_u64(i);
    if (!v) bad(i, "an unsigned integer");
    return *v;
  }
  std::optional<double> opt_double(std::size_t i) const {
    const std::string& s = rec.cells[i];
    if (s.empty()) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) bad(i, "a number");
    return v;
  }
  std::optional<bool> opt_flag(std::size_t i) const {
    const std::string& s = rec.cells[i];
    if (s.empty()) return std::nullopt;
    if (s != "0" && s != "1") bad(i, "0, 1 or empty");
    return s == "1";
  }
};

// The phase that pays for the zeroing: the kernel's fault, or the zero phase.
const char* cost_phase(const SampleRow& r) { return r.strategy == kKernelFault ? "fault" : "zero"; }

SampleRow read_row(const csv::Record& rec, const std::vector<std::string>& header,
                   const SamplesLayout& layout, const ReadOptions& opt) {
  if (rec.malformed) throw Bad{"a quote inside an unquoted cell or after a quoted one"};
  if (rec.cells.size() != header.size())
    throw Bad{fmt::format("{} cell{} where the header has {}", rec.cells.size(),
                          rec.cells.size() == 1 ? "" : "s", header.size())};
  for (std::size_t i = 0; i < rec.cells.size(); ++i)
    if (std::string why = not_text(rec.cells[i]); !why.empty())
      throw Bad{fmt::format("column '{}' holds {}", header[i], why)};
  const CellReader c{rec, header};
  SampleRow r;
  r.key = c.text(0);
  if (opt.keys != nullptr && !opt.keys->count(r.key))
    c.bad(0, "a point of the run (meta.json's config.points)");
  r.backing = c.text(1);
  r.folio_size = c.u64(2);
  r.strategy = c.text(3);
  r.primitive = c.text(4);
  r.target = c.u64(5);
  r.access = c.text(6);
  r.op = c.text(7);
  r.cache = c.text(8);
  r.evict = c.text(9);
  r.batch = c.u64(10);
  r.width = c.u64(11);
  r.rep = c.u64(12);
  r.phase = c.text(13);
  if (r.phase != "access" && r.phase != cost_phase(r))
    c.bad(13, fmt::format("a phase of strategy {} ({}, access)", r.strategy, cost_phase(r)));
  r.ns = c.u64(14);
  r.tsc = c.opt_u64(15);
  const std::size_t trail = header.size() - layout.trailing();
  std::size_t i = kLeadingColumns.size();
  for (; i < trail; ++i) r.counters.push_back(c.opt_double(i));
  r.batch_max_ns = c.opt_double(i++);
  r.batches = c.opt_u64(i++);
  r.huge = c.opt_flag(i++);
  r.multiplexed = c.opt_flag(i++);
  r.pass = c.opt_u64(i++);
  r.left_out = c.text(i++);
  if (layout.anatomy) {
    r.fault_alloc_ns = c.opt_u64(i++);
    r.fault_zero_ns = c.opt_u64(i++);
    r.fault_map_ns = c.opt_u64(i++);
    r.fault_untraced = c.text(i++);
  }
  if (layout.alias) r.alias_map_ns = c.opt_u64(i++);
  if (layout.alias && layout.settle) {
    r.host_settle_ns = c.opt_u64(i++);
    r.host_settle_slow = c.opt_u64(i);
  }
  return r;
}

SamplesLayout read_header(const csv::Parsed& parsed, const std::string& name) {
  if (parsed.records.empty())
    throw SetupError(
        fmt::format("{}: no header line; not a samples.csv, or written by a run that "
                    "stopped before its first sample",
                    name));
  const std::vector<std::string>& header = parsed.records.front().cells;
  bool fixed = header.size() >= kFixed && !parsed.records.front().malformed;
  for (std::size_t i = 0; fixed && i < kLeadingColumns.size(); ++i)
    fixed = header[i] == kLeadingColumns[i];
  // The current trailing columns, or an older file's: ending at
  // alias_map_ns (before the settle columns), at fault_untraced (before the
  // alias column) or at left_out.
  SamplesLayout layout;
  auto ends_with = [&](std::size_t n) {
    return header.size() >= kLeadingColumns.size() + n &&
           std::equal(kTrailingColumns.begin(), kTrailingColumns.begin() + std::ptrdiff_t(n),
                      header.end() - std::ptrdiff_t(n));
  };
  layout.settle = ends_with(kTrailingColumns.size());
  layout.alias = layout.settle || ends_with(kTrailingColumns.size() - kSettleColumns);
  layout.anatomy =
      layout.alias || ends_with(kTrailingColumns.size() - kSettleColumns - kAliasColumns);
  const std::size_t trail = header.size() - layout.trailing();
  for (std::size_t i = 0; fixed && i < layout.trailing(); ++i)
    fixed = header[trail + i] == kTrailingColumns[i];
  for (std::size_t i = 0; fixed && i < header.size(); ++i)
    fixed = !header[i].empty() && not_text(header[i]).empty();
  if (!fixed)
    throw SetupError(
        fmt::format("{}:1: the header is not samples.csv's ({} ... {} expected); "
                    "written by another zeroscope version?",
                    name, fmt::join(kLeadingColumns, ","), fmt::join(kTrailingColumns, ",")));
  layout.counters.assign(header.begin() + kLeadingColumns.size(), header.begin() + trail);
  return layout;
}

}  // namespace

SamplesFile parse_samples(std::string_view text, const std::string& name, const ReadOptions& opt) {
  const csv::Parsed parsed = csv::parse(text);
  SamplesFile f;
  f.layout = read_header(parsed, name);
  const std::vector<std::string>& header = parsed.records.front().cells;
  auto damage = [&](int line, DamageKind kind, const std::string& problem) {
    f.damaged.push_back({line, kind, fmt::format("{}:{}: {}", name, line, problem)});
  };

  struct Read {
    SampleRow row;
    int line;
    bool out = false;
  };
  std::vector<Read> read;
  read.reserve(parsed.records.size());
  // (key, rep) -> phase -> index into `read`: the first row of each phase.
  std::map<std::pair<std::string, std::uint64_t>, std::map<std::string, std::size_t>> samples;
  for (std::size_t n = 1; n < parsed.records.size(); ++n) {
    const csv::Record& rec = parsed.records[n];
    ++f.rows_read;
    try {
      SampleRow r = read_row(rec, header, f.layout, opt);
      auto& phases = samples[{r.key, r.rep}];
      if (auto it = phases.find(r.phase); it != phases.end()) {
        damage(rec.line, DamageKind::duplicated,
               fmt::format("sample {} of {}: a second {} row (the first is line {})", r.rep, r.key,
                           r.phase, read[it->second].line));
        continue;
      }
      phases[r.phase] = read.size();
      read.push_back({std::move(r), rec.line});
    } catch (const Bad& b) {
      damage(rec.line, DamageKind::malformed, b.problem);
    }
  }
  if (parsed.torn) {
    // A quote opened and never closed swallows the lines after it: that is
    // not a crash mid-write, which tears one line.
    std::size_t start = 0;
    for (int l = 1; l < parsed.torn_line; ++l) start = text.find('\n', start) + 1;
    const std::string_view rest = text.substr(start);
    const auto lines = std::count(rest.begin(), rest.end(), '\n') + (rest.back() != '\n');
    if (lines > 1) {
      for (int l = 0; l < lines; ++l)
        damage(parsed.torn_line + l, DamageKind::malformed,
               l == 0 ? "a quote opened here is never closed (the lines after it are lost in one "
                        "cell)"
                      : fmt::format("lost in the unclosed quote of line {}", parsed.torn_line));
      f.rows_read += lines;
    } else if (opt.complete_run) {
      damage(parsed.torn_line, DamageKind::torn,
             "the last line has no line end (cut short), but meta.json says the run completed");
    } else {
      f.torn = true;
    }
  }
  // Samples without all their phase rows. The last one of an interrupted
  // run is a crash's leftover (its rows are one write, cut), not damage.
  const int last_line = read.empty() ? 0 : read.back().line;
  int cut_line = f.torn ? parsed.torn_line : 0;
  for (const auto& [sample, phases] : samples) {
    if (phases.empty()) continue;
    const SampleRow& first = read[phases.begin()->second].row;
    std::vector<std::string> missing;
    for (const char* ph : {cost_phase(first), "access"})
      if (!phases.count(ph)) missing.push_back(ph);
    if (missing.empty()) continue;
    int end = 0;
    for (const auto& [ph, i] : phases) {
      end = std::max(end, read[i].line);
      read[i].out = true;
    }
    if (!opt.complete_run && end == last_line) {
      f.unfinished += phases.size();
      for (const auto& [ph, i] : phases)
        cut_line = std::min(cut_line ? cut_line : read[i].line, read[i].line);
      continue;
    }
    for (const auto& [ph, i] : phases)
      damage(read[i].line, DamageKind::incomplete,
             fmt::format("sample {} of {} has no {} row", sample.second, sample.first,
                         fmt::join(missing, " or ")));
  }
  f.whole_bytes = text.size();
  if (cut_line > 0) {
    std::size_t at = 0;
    for (int l = 1; l < cut_line; ++l) at = text.find('\n', at) + 1;
    f.whole_bytes = at;
  }
  std::sort(f.damaged.begin(), f.damaged.end(),
            [](const DamagedRow& a, const DamagedRow& b) { return a.line < b.line; });
  if (!f.damaged.empty() && !opt.lenient) {
    const std::size_t more = f.damaged.size() - 1;
    throw SetupError(fmt::format(
        "{}{}; the file is damaged (rerun with `{}` to leave the damaged rows out, or restore "
        "the file)",
        f.damaged.front().problem,
        more ? fmt::format(" (and {} more damaged row{})", more, more == 1 ? "" : "s") : "",
        option_name(Option::lenient)));
  }
  f.rows.reserve(read.size());
  for (Read& r : read)
    if (!r.out) f.rows.push_back(std::move(r.row));
  return f;
}

SamplesFile read_samples(const std::string& path, const ReadOptions& opt) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SetupError(fmt::format("{}: cannot read it", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_samples(ss.str(), path, opt);
}

std::string damage_summary(const SamplesFile& f, const std::string& name) {
  if (f.damaged.empty()) return "";
  std::map<DamageKind, std::size_t> n;
  for (const DamagedRow& d : f.damaged) ++n[d.kind];
  std::vector<std::string> parts;
  static constexpr const char* kWhat[] = {"malformed", "duplicated", "in an incomplete sample",
                                          "torn"};
  for (const auto& [kind, count] : n)
    parts.push_back(fmt::format("{} {}", count, kWhat[int(kind)]));
  return fmt::format("left out {} damaged row{} of {}: {} (the first at line {})", f.damaged.size(),
                     f.damaged.size() == 1 ? "" : "s", name, fmt::join(parts, ", "),
                     f.damaged.front().line);
}

}  // namespace zs
