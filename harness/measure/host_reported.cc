#include "measure/host_reported.h"

#include <algorithm>
#include <chrono>
#include <sstream>
#include <string>
#include <thread>

#include "common/parse.h"
#include "machine/sysfs.h"
#include "memory/folio_pool.h"

namespace zs {

std::optional<Memory> parse_memory(std::string_view s) {
  if (s == "recycled") return Memory::recycled;
  if (s == "host-reported") return Memory::host_reported;
  return std::nullopt;
}

const char* to_string(Memory m) {
  return m == Memory::host_reported ? "host-reported" : "recycled";
}

std::size_t folios_to_give_back(std::uint64_t folio_bytes, std::uint64_t page_bytes, unsigned order,
                                std::size_t pool_count, std::uint64_t blocks,
                                std::uint64_t pcp_pages) {
  if (folio_bytes == 0 || page_bytes == 0 || pool_count == 0) return 0;
  const std::uint64_t block = order >= 40 ? folio_bytes : page_bytes << order;
  const std::uint64_t bytes = std::max(block, folio_bytes) * blocks;
  const std::uint64_t for_blocks = (bytes + folio_bytes - 1) / folio_bytes;
  const std::uint64_t folio_pages = folio_bytes / page_bytes;
  const std::uint64_t for_pcp = pcp_pages / folio_pages + 2;
  return static_cast<std::size_t>(
      std::clamp<std::uint64_t>(std::max(for_blocks, for_pcp), 1, pool_count));
}

std::uint64_t max_pcp_high(std::string_view zoneinfo) {
  std::uint64_t best = 0;
  std::istringstream in{std::string(zoneinfo)};
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find("high:");
    if (at == std::string::npos || line.find_first_not_of(' ') != at) continue;
    std::string v = line.substr(at + 5);
    v.erase(0, v.find_first_not_of(' '));
    if (auto n = parse_u64(v)) best = std::max(best, *n);
  }
  return best;
}

HostReportedGiveBack::HostReportedGiveBack(FolioPool& pool, unsigned order, double wait_s)
    : pool_(pool), order_(order), wait_s_(wait_s) {}

void HostReportedGiveBack::give_back(std::size_t i) {
  // The per-CPU lists' limit moves with the load: read it each time.
  const std::uint64_t pcp = max_pcp_high(sysfs::read("/proc/zoneinfo").value_or(""));
  n_ = folios_to_give_back(pool_.folio_bytes(), pool_.page_bytes(), order_, pool_.count(),
                           kReportBlocks, pcp);
  for (std::size_t k = 0; k < n_; ++k) pool_.discard((i + k) % pool_.count());
  // The kernel's reporting worker runs about two seconds after enough free
  // memory has collected; the host then discards what was reported.
  std::this_thread::sleep_for(std::chrono::duration<double>(wait_s_));
  for (std::size_t k = 1; k < n_; ++k) {
    const std::size_t f = (i + k) % pool_.count();
    pool_.populate(f);
    pool_.reverify(f);
  }
}

}  // namespace zs
