// What mmap-bench says about its loops beyond their mean and spread: a
// loop slower than the median of the others by more than 10% is named,
// even when it is the only slow one (a stddev over five loops hides one
// cold loop less than it should), and a single loop says that no variance
// is known, so that its rate is not quoted as if it were a measurement of
// spread too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zs {

struct SlowLoop {
  std::size_t index = 0;  // 0-based
  double ratio = 0;       // its time / the median time of the other loops
};

// Loops whose time exceeds the median of the others by more than
// `threshold` (a fraction); none below two loops.
std::vector<SlowLoop> slow_loops(const std::vector<std::uint64_t>& ns, double threshold = 0.10);

// "# WARNING: ..." lines for the slow loops, or the one-loop note; "" when
// there is nothing to say. Each line ends with a newline.
std::string format_loop_checks(const std::vector<std::uint64_t>& ns);

}  // namespace zs
