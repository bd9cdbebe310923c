// [[exclude]] rules of a sweep file: each names some axes and the values
// that leave a point out, stored as point_key's canonical text so that a
// rule matches however the value was written ("2MB" and "2MiB" alike).
#pragma once

#include <vector>

#include "common/toml_reader.h"
#include "sweep/sweep_config.h"

namespace zs {

// The rules of `n` (t.get("exclude")); none when it is null.
std::vector<ExcludeRule> read_excludes(const TomlReader& c, const toml::node* n);

}  // namespace zs
