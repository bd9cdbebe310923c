// The one checked-TOML reader, shared by sweep files and event files: a
// file parsed with toml++ and read key by key, so that every mistake is one
// message "path:line: key: problem" worded the same way in both:
//   unknown key; did you mean 'strategy'?      unknown key; allowed: a, b
//   expected an integer, got a string          must be at least 1, got 0
//   unknown 'extnt'; did you mean 'extent'? allowed: ...
//   missing; required in [[metric]]            must not be empty
// Integer bounds come from common/limits.h, as the CLI's do.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "common/limits.h"

namespace zs {

// "a string", "an integer", "a floating-point number", "a list", ...
std::string toml_type_name(const toml::node& n);
int line_of(const toml::node& n);
// "unknown 'x'; did you mean 'y'? allowed: a, b" (the suggestion only for a
// likely typo).
std::string unknown_name(std::string_view value, const std::vector<std::string>& allowed);

// Sweep and event files are short texts: at most this many bytes.
inline constexpr std::uint64_t kMaxInputFile = 1u << 20;

// The text of a sweep or event file (`what`: "sweep file", "event file").
// The file is opened without blocking and checked with fstat before a byte
// is read: a FIFO, a device (/dev/zero), a directory or a file over
// kMaxInputFile is refused in one line naming the cause and the fix:
//   "x.toml: cannot read the sweep file: a FIFO, not a regular file; ..."
std::string read_input_file(const std::string& path, std::string_view what);

class TomlReader {
 public:
  explicit TomlReader(std::string path) : path_(std::move(path)) {}
  const std::string& path() const { return path_; }

  // The file's text parsed; a syntax error is "path:line: syntax: ...".
  toml::table parse(const std::string& text) const;

  // "path:line: key: problem", control characters escaped (one line).
  [[noreturn]] void fail(int line, std::string_view key, std::string_view problem) const;
  [[noreturn]] void fail(const toml::node& n, std::string_view key,
                         std::string_view problem) const {
    fail(line_of(n), key, problem);
  }
  // "expected <what>, got <type of n>".
  [[noreturn]] void wrong_type(const toml::node& n, std::string_view key,
                               std::string_view what) const;
  // "missing; required in <where>", at the line of the table that lacks it.
  [[noreturn]] void missing(int line, std::string_view key, std::string_view where) const;

  // Every key of `t` is one of `allowed`; the message's key is prefix + key.
  void only_keys(const toml::table& t, const std::vector<std::string>& allowed,
                 std::string_view prefix) const;
  // parent[key] as a table ([key]), or nullptr when absent.
  const toml::table* table(const toml::table& parent, const char* key) const;
  // The tables of an array of tables ([[key]]); empty when absent.
  std::vector<const toml::table*> tables(const toml::node* n, const char* key) const;

  // An integer in [min, max]: "must be in [1, 1000000], got 0".
  std::int64_t integer(const toml::node& n, std::string_view key, std::int64_t min,
                       std::int64_t max) const;
  // A TOML integer is signed 64-bit: a bound above 2^63-1 cannot be reached,
  // but the message states the limit's own bounds.
  std::uint64_t integer(const toml::node& n, std::string_view key, const Limit& l) const;
  std::string string(const toml::node& n, std::string_view key) const;
  // A string with something other than blanks in it.
  std::string nonempty_string(const toml::node& n, std::string_view key) const;
  bool boolean(const toml::node& n, std::string_view key) const;
  const toml::array& array(const toml::node& n, std::string_view key) const;
  // A string that must be one of `allowed`.
  std::string choice(const toml::node& n, std::string_view key,
                     const std::vector<std::string>& allowed) const;

 private:
  std::string path_;
};

}  // namespace zs
