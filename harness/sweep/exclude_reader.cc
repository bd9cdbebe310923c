#include "sweep/exclude_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sweep/axis_readers.h"

namespace zs {

std::vector<ExcludeRule> read_excludes(const TomlReader& c, const toml::node* n) {
  using namespace sweep_axes;
  std::vector<ExcludeRule> rules;
  for (const toml::table* t : c.tables(n, "exclude")) {
    c.only_keys(*t, kKeys, "exclude.");
    ExcludeRule rule;
    rule.line = line_of(*t);
    if (t->empty())
      // The axes before memory, as the message always read: a hint, not the list.
      c.fail(rule.line, "exclude",
             fmt::format("an empty rule would leave out every point; give some of: {}",
                         fmt::join(kKeys.begin(), kKeys.begin() + kMemory, ", ")));
    for (std::size_t i = 0; i < kKeys.size(); ++i) {
      const toml::node* v = t->get(kKeys[i]);
      if (v == nullptr) continue;
      const Axis axis = static_cast<Axis>(i);
      // "a list of sizes ..." -> "a value or a list of sizes ..."
      ValueReader r{c, "exclude." + kKeys[i], std::string("a value or ") + kInfo[axis].list, true};
      std::vector<std::string> values;
      if (v->is_array()) {
        if (v->as_array()->empty()) c.fail(*v, r.key, "empty; it would match nothing");
        for (const toml::node& x : *v->as_array()) values.push_back(canonical_text(axis, r, x));
      } else {
        values.push_back(canonical_text(axis, r, *v));
      }
      rule.match.emplace_back(axis, std::move(values));
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace zs
