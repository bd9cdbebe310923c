// "Did you mean ...?" for the config and event-file loaders: the edit
// distance between a word and the names it could have meant.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zs {

// The nearest choice when it is close enough to be a typo: at most a third
// of its length (at least one edit), ignoring ASCII case, so "stratgy" ->
// "strategy" but "colour" suggests nothing.
std::optional<std::string> typo_of(std::string_view word, const std::vector<std::string>& choices);

}  // namespace zs
