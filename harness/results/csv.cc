#include "results/csv.h"

namespace zs::csv {

std::string quote(std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(cell);
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string record(std::span<const std::string> cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += quote(cells[i]);
  }
  out += '\n';
  return out;
}

Parsed parse(std::string_view text) {
  Parsed p;
  Record rec;
  std::string cell;
  int line = 1;
  rec.line = 1;
  bool quoted = false, after_quote = false, started = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    started = true;
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == ',') {
      rec.cells.push_back(std::move(cell));
      cell.clear();
      after_quote = false;
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      rec.cells.push_back(std::move(cell));
      cell.clear();
      p.records.push_back(std::move(rec));
      rec = Record{};
      rec.line = ++line;
      after_quote = started = false;
    } else if (c == '"' && cell.empty() && !after_quote) {
      quoted = true;
    } else {
      if (c == '"' || after_quote) {
        if (p.malformed_line == 0) p.malformed_line = line;
        rec.malformed = true;
      }
      cell += c;
    }
  }
  if (started) {
    p.torn = true;
    p.torn_line = rec.line;
  }
  return p;
}

}  // namespace zs::csv
