#include "memory/smaps.h"

#include <fstream>
#include <sstream>
#include <string>

namespace zs {

SmapsHuge smaps_anon_huge(std::uintptr_t lo, std::uintptr_t hi) {
  SmapsHuge out;
  std::ifstream smaps("/proc/self/smaps");
  if (!smaps) return out;
  out.readable = true;
  std::string line;
  bool in_range = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t a, b;
    char dash;
    std::istringstream head(line);
    // A mapping header looks like "7f..-7f.. rw-p ...": hex, '-', hex.
    if (head >> std::hex >> a >> dash >> b && dash == '-' && line.find(' ') > line.find('-')) {
      in_range = a < hi && b > lo;
      if (in_range && (a < lo || b > hi)) out.exact = false;
      continue;
    }
    if (in_range && line.rfind("AnonHugePages:", 0) == 0)
      out.anon_huge_bytes += std::stoull(line.substr(14)) * 1024;
  }
  return out;
}

}  // namespace zs
