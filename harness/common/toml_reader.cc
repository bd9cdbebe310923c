#include "common/toml_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/parse.h"
#include "common/suggest.h"

namespace zs {

std::string toml_type_name(const toml::node& n) {
  using T = toml::node_type;
  static const std::pair<T, const char*> kNames[] = {{T::string, "a string"},
                                                     {T::integer, "an integer"},
                                                     {T::floating_point, "a floating-point number"},
                                                     {T::boolean, "a boolean"},
                                                     {T::table, "a table"},
                                                     {T::array, "a list"},
                                                     {T::date, "a date"},
                                                     {T::time, "a time"},
                                                     {T::date_time, "a date-time"}};
  for (auto [t, name] : kNames)
    if (n.type() == t) return name;
  return "nothing";
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::string unknown_name(std::string_view value, const std::vector<std::string>& allowed) {
  auto n = typo_of(value, allowed);
  return n ? fmt::format("unknown '{}'; did you mean '{}'? allowed: {}", value, *n,
                         fmt::join(allowed, ", "))
           : fmt::format("unknown '{}'; allowed: {}", value, fmt::join(allowed, ", "));
}

namespace {

std::string_view file_kind(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a plain file";
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string read_input_file(const std::string& path, std::string_view what) {
  const std::string where = fmt::format("{}: cannot read the {}", printable(path), what);
  // O_NONBLOCK: opening a FIFO with no writer must not wait for one.
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (f.fd < 0) throw SetupError(fmt::format("{}: {}", where, std::strerror(errno)));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) throw SetupError(fmt::format("{}: {}", where, std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    throw SetupError(fmt::format("{}: {}, not a regular file; give the path of a .toml file", where,
                                 file_kind(st.st_mode)));
  const auto too_big = [&](std::uint64_t size) {
    return SetupError(
        fmt::format("{}: {} bytes is over the limit of {} bytes (1 MiB); give a "
                    "{} of at most 1 MiB",
                    where, size, kMaxInputFile, what));
  };
  if (static_cast<std::uint64_t>(st.st_size) > kMaxInputFile) throw too_big(st.st_size);
  // The file may grow while it is read: never read more than the limit + 1.
  std::string text(kMaxInputFile + 1, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(f.fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SetupError(fmt::format("{}: {}", where, std::strerror(errno)));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > kMaxInputFile) throw too_big(got);
  text.resize(got);
  return text;
}

toml::table TomlReader::parse(const std::string& text) const {
  try {
    return toml::parse(text, path_);
  } catch (const toml::parse_error& e) {
    fail(static_cast<int>(e.source().begin.line), "syntax", e.description());
  }
}

void TomlReader::fail(int line, std::string_view key, std::string_view problem) const {
  throw SetupError(
      printable(fmt::format("{}:{}: {}: {}", path_, line, std::string(key), std::string(problem))));
}

void TomlReader::wrong_type(const toml::node& n, std::string_view key,
                            std::string_view what) const {
  fail(n, key, fmt::format("expected {}, got {}", what, toml_type_name(n)));
}

void TomlReader::missing(int line, std::string_view key, std::string_view where) const {
  fail(line, key, fmt::format("missing; required in {}", where));
}

void TomlReader::only_keys(const toml::table& t, const std::vector<std::string>& allowed,
                           std::string_view prefix) const {
  for (auto&& [k, v] : t) {
    const std::string key(k.str());
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    auto n = typo_of(key, allowed);
    fail(static_cast<int>(k.source().begin.line), std::string(prefix) + key,
         n ? fmt::format("unknown key; did you mean '{}'?", *n)
           : fmt::format("unknown key; allowed: {}", fmt::join(allowed, ", ")));
  }
}

const toml::table* TomlReader::table(const toml::table& parent, const char* key) const {
  const toml::node* n = parent.get(key);
  if (n == nullptr) return nullptr;
  if (!n->is_table()) wrong_type(*n, key, fmt::format("a table ([{}])", key));
  return n->as_table();
}

std::vector<const toml::table*> TomlReader::tables(const toml::node* n, const char* key) const {
  std::vector<const toml::table*> out;
  if (n == nullptr) return out;
  const toml::array* a = n->as_array();
  if (a == nullptr || !a->is_array_of_tables())
    wrong_type(*n, key, fmt::format("[[{}]] tables", key));
  for (const toml::node& e : *a) out.push_back(e.as_table());
  return out;
}

std::int64_t TomlReader::integer(const toml::node& n, std::string_view key, std::int64_t min,
                                 std::int64_t max) const {
  if (!n.is_integer()) wrong_type(n, key, "an integer");
  const std::int64_t v = *n.value<std::int64_t>();
  if (v < min || v > max) fail(n, key, fmt::format("must be in [{}, {}], got {}", min, max, v));
  return v;
}

std::uint64_t TomlReader::integer(const toml::node& n, std::string_view key, const Limit& l) const {
  // A TOML integer is signed 64-bit: a larger bound cannot be reached.
  if (!n.is_integer()) wrong_type(n, key, "an integer");
  const std::int64_t v = *n.value<std::int64_t>();
  if (v < 0 || static_cast<std::uint64_t>(v) < l.min || static_cast<std::uint64_t>(v) > l.max)
    fail(n, key, range_problem(l.min, l.max, v));
  return static_cast<std::uint64_t>(v);
}

std::string TomlReader::string(const toml::node& n, std::string_view key) const {
  if (!n.is_string()) wrong_type(n, key, "a string");
  return *n.value<std::string>();
}

std::string TomlReader::nonempty_string(const toml::node& n, std::string_view key) const {
  std::string s = string(n, key);
  if (s.find_first_not_of(" \t") == std::string::npos) fail(n, key, "must not be empty");
  return s;
}

bool TomlReader::boolean(const toml::node& n, std::string_view key) const {
  if (!n.is_boolean()) wrong_type(n, key, "a boolean");
  return *n.value<bool>();
}

const toml::array& TomlReader::array(const toml::node& n, std::string_view key) const {
  if (!n.is_array()) wrong_type(n, key, "a list");
  return *n.as_array();
}

std::string TomlReader::choice(const toml::node& n, std::string_view key,
                               const std::vector<std::string>& allowed) const {
  std::string s = string(n, key);
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
    fail(n, key, unknown_name(s, allowed));
  return s;
}

}  // namespace zs
