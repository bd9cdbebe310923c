// Readers of one value of each axis, from an [axes] list or an [[exclude]]
// rule, checked against what this binary and machine provide, and the
// reader of a whole axis (a list, or the default when the key is absent).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/toml_reader.h"
#include "sweep/axes.h"
#include "sweep/sweep_config.h"

namespace zs::sweep_axes {

// Reads one value. `what` names the list for type errors; `in_exclude`
// skips what only matters for values that will be measured (availability,
// the "?" mark).
struct ValueReader {
  const TomlReader& c;
  std::string key;   // "axes.strategy", "exclude.strategy"
  std::string what;  // "a list of strings"
  bool in_exclude = false;

  [[noreturn]] void wrong_type(const toml::node& n) const { c.wrong_type(n, key, what); }
  [[noreturn]] void fail(const toml::node& n, std::string_view problem) const {
    c.fail(n, key, problem);
  }
  std::string str(const toml::node& n) const;
  std::uint64_t uint(const toml::node& n, const Limit& l) const;
};

Backing read_backing(const ValueReader& r, const toml::node& n);
// A size; "?" at its end (measured only where this machine can provide it)
// is accepted, and reported in *optional, when optional is non-null.
std::uint64_t read_folio_size(const ValueReader& r, const toml::node& n, bool* optional);
std::string read_strategy(const ValueReader& r, const toml::node& n);
std::string read_primitive(const ValueReader& r, const toml::node& n);
TargetSpec read_target(const ValueReader& r, const toml::node& n);
AccessSpec read_access(const ValueReader& r, const toml::node& n);
CacheSpec read_cache(const ValueReader& r, const toml::node& n);
// Pages, or a size converted to pages; 0 is the whole range.
std::uint64_t read_batch(const ValueReader& r, const toml::node& n);
std::uint64_t read_width(const ValueReader& r, const toml::node& n);

// The canonical text of one value of `axis` (point_key's component for it:
// "2MB" -> "2097152", "page" -> "page:write"), for exclude rules.
std::string canonical_text(Axis axis, const ValueReader& r, const toml::node& n);
// A value as written, for messages and the record.
std::string value_text(const toml::node& n);

// Reads one axis into `out` with `read(reader, node) -> T`; a missing axis
// takes its default (line 0).
template <class T, class Read>
void read_axis(const TomlReader& c, const toml::table* axes, Axis axis,
               std::vector<AxisValue<T>>& out, Read read) {
  const std::string& name = kKeys[axis];
  const toml::node* n = axes != nullptr ? axes->get(name) : nullptr;
  ValueReader r{c, "axes." + name, kInfo[axis].list, false};
  if (n == nullptr) {
    toml::value<std::string> text(kInfo[axis].def);
    toml::value<std::int64_t> num(axis == kWidth ? std::int64_t(kUpstreamWidth) : 0);
    const toml::node& def = numeric(axis) ? static_cast<const toml::node&>(num) : text;
    out.push_back(AxisValue<T>{read(r, def), 0, kInfo[axis].def});
    return;
  }
  if (!n->is_array()) r.wrong_type(*n);
  const toml::array& a = *n->as_array();
  if (a.empty())
    c.fail(*n, r.key,
           fmt::format("empty; give at least one value, or leave the key out for the default [{}]",
                       numeric(axis) ? std::string(kInfo[axis].def)
                                     : fmt::format("\"{}\"", kInfo[axis].def)));
  for (const toml::node& e : a) out.push_back(AxisValue<T>{read(r, e), line_of(e), value_text(e)});
}

}  // namespace zs::sweep_axes
