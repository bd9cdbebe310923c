// Text for people from a record with a "missing" object (the capability
// record): one heading per section, aligned "key  value" lines, sizes in
// binary units, and every unknown value shown with the reason the record
// gives for it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace zs {

// Exact binary units where they divide ("2 MiB"), else two decimals
// ("1.50 GiB"); a value that is not a number as JSON.
std::string bytes_text(const nlohmann::json& v);

class RecordText {
 public:
  explicit RecordText(const nlohmann::json& rec) : rec_(rec) {}

  void section(std::string title) { sections_.push_back({std::move(title), {}}); }
  void row(std::string key, std::string value) {
    sections_.back().rows.emplace_back(std::move(key), std::move(value));
  }

  // The value at dotted `path`, nullptr when the record lacks it.
  const nlohmann::json* at(const std::string& path) const;
  bool known(const std::string& path) const;
  // "unknown: <reason>" for a null, "absent from the record" for a path it lacks.
  std::string unknown(const std::string& path) const;
  // The value as text (strings as they are, booleans yes/no, arrays joined
  // with ", "), or unknown(path).
  std::string str(const std::string& path) const;
  static std::string plain(const nlohmann::json& v);
  std::string bytes(const std::string& path) const;
  void field(std::string key, const std::string& path) { row(std::move(key), str(path)); }

  // Sections separated by a blank line; continuation lines of a multi-line
  // value aligned under its first line.
  std::string render() const;

 private:
  struct Section {
    std::string title;
    std::vector<std::pair<std::string, std::string>> rows;
  };
  const nlohmann::json& rec_;
  std::vector<Section> sections_;
};

}  // namespace zs
