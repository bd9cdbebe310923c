#include "results/samples_schema.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/errors.h"
#include "results/csv.h"

namespace zs {

namespace {

constexpr std::size_t kFixed = kLeadingColumns.size() + kTrailingColumns.size();

std::string u64(std::uint64_t v) { return std::to_string(v); }
template <class T>
std::string opt_u64(const std::optional<T>& v) {
  return v ? std::to_string(*v) : std::string();
}
std::string flag(const std::optional<bool>& v) { return v ? (*v ? "1" : "0") : ""; }

// Counts are integers; scaled values (RAPL joules) keep nine digits.
std::string number(double v) {
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) return fmt::format("{:.0f}", v);
  return fmt::format("{:.9g}", v);
}

// Reads one row's cells, naming the line and column of a bad one.
struct CellReader {
  const std::string& name;
  const csv::Record& rec;
  const std::vector<std::string>& header;

  [[noreturn]] void bad(std::size_t i, std::string_view what) const {
    throw SetupError(
        fmt::format("{}:{}: column '{}': '{}' is not {}; the file is damaged (remove "
                    "the line, or rerun the sweep)",
                    name, rec.line, header[i], rec.cells[i], what));
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

}  // namespace

std::vector<std::string> SamplesLayout::header() const {
  std::vector<std::string> h(kLeadingColumns.begin(), kLeadingColumns.end());
  h.insert(h.end(), counters.begin(), counters.end());
  h.insert(h.end(), kTrailingColumns.begin(), kTrailingColumns.end());
  return h;
}

std::string format_header(const SamplesLayout& layout) { return csv::record(layout.header()); }

std::string format_row(const SampleRow& r) {
  std::vector<std::string> c = {r.key,       r.backing,     u64(r.folio_size), r.strategy,
                                r.primitive, u64(r.target), r.access,          r.op,
                                r.cache,     r.evict,       u64(r.batch),      u64(r.width),
                                u64(r.rep),  r.phase,       u64(r.ns),         opt_u64(r.tsc)};
  for (const auto& v : r.counters) c.push_back(v ? number(*v) : "");
  c.push_back(r.batch_max_ns ? fmt::format("{:.0f}", *r.batch_max_ns) : "");
  c.push_back(opt_u64(r.batches));
  c.push_back(flag(r.huge));
  c.push_back(flag(r.multiplexed));
  c.push_back(opt_u64(r.pass));
  c.push_back(r.left_out);
  return csv::record(c);
}

SamplesFile parse_samples(std::string_view text, const std::string& name) {
  csv::Parsed parsed = csv::parse(text);
  if (parsed.records.empty())
    throw SetupError(
        fmt::format("{}: no header line; not a samples.csv, or written by a run that "
                    "stopped before its first sample",
                    name));
  const std::vector<std::string>& header = parsed.records.front().cells;
  SamplesFile f;
  bool fixed = header.size() >= kFixed;
  for (std::size_t i = 0; fixed && i < kLeadingColumns.size(); ++i)
    fixed = header[i] == kLeadingColumns[i];
  const std::size_t trail = header.size() - kTrailingColumns.size();
  for (std::size_t i = 0; fixed && i < kTrailingColumns.size(); ++i)
    fixed = header[trail + i] == kTrailingColumns[i];
  if (!fixed)
    throw SetupError(
        fmt::format("{}:1: the header is not samples.csv's ({} ... {} expected); "
                    "written by another zeroscope version?",
                    name, fmt::join(kLeadingColumns, ","), fmt::join(kTrailingColumns, ",")));
  f.layout.counters.assign(header.begin() + kLeadingColumns.size(), header.begin() + trail);
  if (parsed.malformed_line != 0)
    throw SetupError(
        fmt::format("{}:{}: a quote inside an unquoted cell or after a quoted one; the "
                    "file is damaged (remove the line, or rerun the sweep)",
                    name, parsed.malformed_line));
  f.torn = parsed.torn;
  f.rows.reserve(parsed.records.size() - 1);
  for (std::size_t n = 1; n < parsed.records.size(); ++n) {
    const csv::Record& rec = parsed.records[n];
    if (rec.cells.size() != header.size())
      throw SetupError(
          fmt::format("{}:{}: {} cells where the header has {}; the file is damaged "
                      "(remove the line, or rerun the sweep)",
                      name, rec.line, rec.cells.size(), header.size()));
    const CellReader c{name, rec, header};
    SampleRow r;
    r.key = c.text(0);
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
    r.ns = c.u64(14);
    r.tsc = c.opt_u64(15);
    std::size_t i = kLeadingColumns.size();
    for (; i < trail; ++i) r.counters.push_back(c.opt_double(i));
    r.batch_max_ns = c.opt_double(i++);
    r.batches = c.opt_u64(i++);
    r.huge = c.opt_flag(i++);
    r.multiplexed = c.opt_flag(i++);
    r.pass = c.opt_u64(i++);
    r.left_out = c.text(i);
    f.rows.push_back(std::move(r));
  }
  return f;
}

SamplesFile read_samples(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SetupError(fmt::format("{}: cannot read it", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_samples(ss.str(), path);
}

std::vector<std::string> measured_columns(const SamplesLayout& layout) {
  std::vector<std::string> cols = {"ns", "tsc"};
  cols.insert(cols.end(), layout.counters.begin(), layout.counters.end());
  cols.push_back("batch_max_ns");
  return cols;
}

std::vector<std::optional<double>> measured_values(const SampleRow& row) {
  std::vector<std::optional<double>> v = {double(row.ns)};
  v.push_back(row.tsc ? std::optional<double>(double(*row.tsc)) : std::nullopt);
  v.insert(v.end(), row.counters.begin(), row.counters.end());
  v.push_back(row.batch_max_ns);
  return v;
}

}  // namespace zs
