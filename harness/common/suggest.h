// "Did you mean ...?" for the config and event-file loaders: the edit
// distance between a word and the names it could have meant.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zs {

// Levenshtein distance, ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The choice nearest to `word`, however far.
std::string closest_name(std::string_view word, const std::vector<std::string>& choices);
// The nearest choice when it is close enough to be a typo: at most a third
// of its length (at least one edit), so "stratgy" -> "strategy" but
// "colour" suggests nothing.
std::optional<std::string> typo_of(std::string_view word, const std::vector<std::string>& choices);
// "a, b, c".
std::string join_names(const std::vector<std::string>& names);

}  // namespace zs
