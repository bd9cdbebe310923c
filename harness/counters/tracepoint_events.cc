#include "counters/tracepoint_events.h"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"

namespace zs {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::optional<std::uint32_t> number(std::string_view s) {
  std::uint32_t v = 0;
  s = trim(s);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// "field:unsigned int order;\toffset:16;\tsize:4;\tsigned:0;"
std::optional<TraceField> parse_field(std::string_view line) {
  TraceField f;
  bool have_offset = false, have_size = false;
  for (std::size_t start = 0; start < line.size();) {
    std::size_t end = line.find(';', start);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view part = trim(line.substr(start, end - start));
    start = end + 1;
    const std::size_t colon = part.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = part.substr(0, colon), value = part.substr(colon + 1);
    if (key == "field") {
      // The declaration's last word is the name; an array keeps its "[n]" off.
      std::string_view decl = trim(value);
      if (const auto br = decl.find('['); br != std::string_view::npos) decl = decl.substr(0, br);
      const auto sp = decl.find_last_of(" \t*");
      f.name = std::string(sp == std::string_view::npos ? decl : decl.substr(sp + 1));
    } else if (key == "offset") {
      auto v = number(value);
      if (!v) return std::nullopt;
      f.offset = *v;
      have_offset = true;
    } else if (key == "size") {
      auto v = number(value);
      if (!v) return std::nullopt;
      f.size = *v;
      have_size = true;
    } else if (key == "signed") {
      f.is_signed = trim(value) == "1";
    }
  }
  if (f.name.empty() || !have_offset || !have_size) return std::nullopt;
  return f;
}

}  // namespace

const TraceField* TracepointFormat::field(std::string_view n) const {
  for (const TraceField& f : fields)
    if (f.name == n) return &f;
  return nullptr;
}

TracepointFormat parse_tracepoint_format(std::string_view text, const std::string& name) {
  TracepointFormat t;
  int line_no = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_no;
    if (line.rfind("name:", 0) == 0) {
      t.name = std::string(trim(line.substr(5)));
    } else if (line.rfind("ID:", 0) == 0) {
      auto v = number(line.substr(3));
      if (!v) throw SetupError(fmt::format("{}:{}: the ID is not a number", name, line_no));
      t.id = *v;
    } else if (line.rfind("field:", 0) == 0) {
      auto f = parse_field(line);
      if (!f)
        throw SetupError(
            fmt::format("{}:{}: a field without its name, offset or size", name, line_no));
      t.fields.push_back(std::move(*f));
    }
  }
  if (t.fields.empty())
    throw SetupError(fmt::format("{}: no field lines; not a tracepoint format file", name));
  return t;
}

std::optional<std::uint64_t> read_field(std::span<const std::byte> raw, const TraceField& f) {
  if (f.size == 0 || f.size > 8 || (f.size & (f.size - 1)) != 0) return std::nullopt;
  if (std::uint64_t(f.offset) + f.size > raw.size()) return std::nullopt;
  std::uint64_t v = 0;
  for (std::uint32_t i = 0; i < f.size;
       ++i)  // the records are in the CPU's order: little-endian here
    v |= std::uint64_t(std::to_integer<unsigned>(raw[f.offset + i])) << (8 * i);
  return v;
}

TraceDecoder make_trace_decoder(const TracepointFormat& fault_entry,
                                const TracepointFormat& page_alloc,
                                const TracepointFormat* rss_stat) {
  const TraceField* type = page_alloc.field("common_type");
  const TraceField* order = page_alloc.field("order");
  if (type == nullptr || order == nullptr)
    throw SetupError(fmt::format("tracepoint {}: its format has no {} field", page_alloc.name,
                                 type == nullptr ? "common_type" : "order"));
  if (fault_entry.field("common_type") == nullptr)
    throw SetupError(
        fmt::format("tracepoint {}: its format has no common_type field", fault_entry.name));
  TraceDecoder d;
  d.fault_entry_id = fault_entry.id;
  d.page_alloc_id = page_alloc.id;
  d.rss_stat_id = rss_stat != nullptr ? rss_stat->id : 0;
  d.common_type = *type;
  d.order = *order;
  return d;
}

std::vector<TraceEvent> decode_events(const RingParse& ring, const TraceDecoder& d) {
  std::vector<TraceEvent> out;
  out.reserve(ring.records.size());
  for (const RingRecord& r : ring.records) {
    if (r.type != PERF_RECORD_SAMPLE) continue;
    TraceEvent e;
    e.tid = r.tid;
    e.time = r.time;
    const auto type = read_field(r.raw, d.common_type);
    if (type && *type == d.fault_entry_id) {
      e.kind = TraceKind::fault_entry;
    } else if (type && *type == d.page_alloc_id) {
      if (auto order = read_field(r.raw, d.order)) {
        e.kind = TraceKind::page_alloc;
        e.order = static_cast<std::uint32_t>(*order);
      }
    } else if (type && d.rss_stat_id != 0 && *type == d.rss_stat_id) {
      e.kind = TraceKind::rss_stat;
    }
    out.push_back(e);
  }
  return out;
}

}  // namespace zs
