#include "machine/record_text.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/units.h"

namespace zs {

using nlohmann::json;

std::string bytes_text(const json& v) {
  if (!v.is_number_unsigned() && !v.is_number_integer()) return v.dump();
  const std::uint64_t b = v.get<std::uint64_t>();
  if (b < (1ull << 20) || b % (1ull << 20) == 0) return exact_size(b);
  return approx_size(b);
}

const json* RecordText::at(const std::string& path) const {
  std::string p = "/" + path;
  for (char& c : p)
    if (c == '.') c = '/';
  json::json_pointer ptr(p);
  return rec_.contains(ptr) ? &rec_.at(ptr) : nullptr;
}

bool RecordText::known(const std::string& path) const {
  const json* v = at(path);
  return v != nullptr && !v->is_null();
}

std::string RecordText::unknown(const std::string& path) const {
  const json* v = at(path);
  if (v == nullptr) return "absent from the record";
  const json& missing = rec_.value("missing", json::object());
  auto it = missing.find(path);
  return "unknown: " + (it != missing.end() && it->is_string() ? it->get<std::string>()
                                                               : std::string("no reason given"));
}

std::string RecordText::str(const std::string& path) const {
  if (!known(path)) return unknown(path);
  return plain(*at(path));
}

std::string RecordText::plain(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_array()) {
    std::vector<std::string> parts;
    for (const auto& e : v) parts.push_back(plain(e));
    return parts.empty() ? "none" : fmt::format("{}", fmt::join(parts, ", "));
  }
  return v.dump();
}

std::string RecordText::bytes(const std::string& path) const {
  return known(path) ? bytes_text(*at(path)) : unknown(path);
}

std::string RecordText::render() const {
  std::string out;
  for (const auto& s : sections_) {
    if (!out.empty()) out += '\n';
    out += s.title + '\n';
    std::size_t width = 0;
    for (const auto& [k, v] : s.rows) width = std::max(width, k.size());
    for (const auto& [k, v] : s.rows) {
      std::string value = v, pad(width + 4, ' ');
      for (std::size_t i = value.find('\n'); i != std::string::npos; i = value.find('\n', i + 1))
        value.insert(i + 1, pad);
      out += fmt::format("  {:<{}}  {}\n", k, width, value);
    }
  }
  return out;
}

}  // namespace zs
