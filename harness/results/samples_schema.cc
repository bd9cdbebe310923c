#include "results/samples_schema.h"

#include <cmath>

#include <fmt/format.h>

#include "common/errors.h"
#include "results/csv.h"

namespace zs {

namespace {

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

}  // namespace

std::size_t SamplesLayout::trailing() const {
  if (!anatomy) return kTrailingColumnsBefore;
  if (!alias) return kTrailingColumns.size() - kSettleColumns - kAliasColumns;
  return kTrailingColumns.size() - (settle ? 0 : kSettleColumns);
}

std::vector<std::string> SamplesLayout::header() const {
  std::vector<std::string> h(kLeadingColumns.begin(), kLeadingColumns.end());
  h.insert(h.end(), counters.begin(), counters.end());
  h.insert(h.end(), kTrailingColumns.begin(),
           kTrailingColumns.begin() + std::ptrdiff_t(trailing()));
  return h;
}

std::string format_header(const SamplesLayout& layout) { return csv::record(layout.header()); }

std::string format_row(const SampleRow& r) { return format_row(r, SamplesLayout{}); }

std::string format_row(const SampleRow& r, const SamplesLayout& layout) {
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
  if (layout.anatomy) {
    c.push_back(opt_u64(r.fault_alloc_ns));
    c.push_back(opt_u64(r.fault_zero_ns));
    c.push_back(opt_u64(r.fault_map_ns));
    c.push_back(r.fault_untraced);
    if (layout.alias) c.push_back(opt_u64(r.alias_map_ns));
    if (layout.alias && layout.settle) {
      c.push_back(opt_u64(r.host_settle_ns));
      c.push_back(opt_u64(r.host_settle_slow));
    }
  }
  return csv::record(c);
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
