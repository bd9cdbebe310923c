#include "memory/smaps.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "common/parse.h"

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

// "start-end perms ..." opens an entry; field lines are "Name:   N kB".
std::optional<std::pair<std::uintptr_t, std::uintptr_t>> vma_header(std::string_view line) {
  const auto space = line.find(' ');
  const auto dash = line.find('-');
  if (space == std::string_view::npos || dash == std::string_view::npos || dash > space)
    return std::nullopt;
  auto lo = parse_u64(fmt::format("0x{}", line.substr(0, dash)));
  auto hi = parse_u64(fmt::format("0x{}", line.substr(dash + 1, space - dash - 1)));
  if (!lo || !hi) return std::nullopt;
  return std::pair{static_cast<std::uintptr_t>(*lo), static_cast<std::uintptr_t>(*hi)};
}

namespace {

std::uint64_t field_kb(std::string_view line) {
  auto colon = line.find(':');
  auto rest = line.substr(colon + 1);
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  return parse_u64(rest.substr(0, rest.find(' '))).value_or(0);
}

}  // namespace

bool SmapsVma::has_flag(std::string_view f) const {
  return fmt::format(" {} ", vm_flags).find(fmt::format(" {} ", f)) != std::string::npos;
}

std::optional<SmapsVma> smaps_vma(std::uintptr_t addr) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  std::optional<SmapsVma> vma;
  while (std::getline(smaps, line)) {
    std::string_view l = line;
    if (auto range = vma_header(l)) {
      if (vma) break;  // the next entry: ours is complete
      if (addr >= range->first && addr < range->second) {
        vma.emplace();
        vma->start = range->first;
        vma->end = range->second;
      }
      continue;
    }
    if (!vma) continue;
    auto starts = [&](std::string_view name) { return l.substr(0, name.size()) == name; };
    if (starts("Rss:")) vma->rss_kb = field_kb(l);
    // PMD mappings of anonymous, shmem and file THPs are counted apart.
    else if (starts("AnonHugePages:") || starts("ShmemPmdMapped:") || starts("FilePmdMapped:"))
      vma->pmd_mapped_kb += field_kb(l);
    else if (starts("Private_Hugetlb:") || starts("Shared_Hugetlb:"))
      vma->hugetlb_kb += field_kb(l);
    else if (starts("KernelPageSize:"))
      vma->kernel_page_kb = field_kb(l);
    else if (starts("VmFlags:"))
      vma->vm_flags = line.substr(line.find(':') + 2);
  }
  return vma;
}

}  // namespace zs
