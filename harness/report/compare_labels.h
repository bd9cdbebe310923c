// The label cells of a fixed-width table row (strategy, primitive,
// target). A label is never cut: one wider than its column goes whole on a
// line of its own (with any other such label of the row), and the row
// continues beneath it with that cell blank.
#pragma once

#include <string>
#include <vector>

namespace zs {

// Each label left-aligned in its width, separated by one space; no
// trailing space after the last, which the caller's next cell follows.
std::string label_cells(const std::vector<std::string>& labels,
                        const std::vector<std::size_t>& widths);

}  // namespace zs
