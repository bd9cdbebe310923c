#include "measure/host_reported.h"

#include <algorithm>
#include <chrono>
#include <thread>

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
                                std::size_t pool_count, std::uint64_t blocks) {
  if (folio_bytes == 0 || pool_count == 0) return 0;
  const std::uint64_t block = order >= 40 ? folio_bytes : page_bytes << order;
  const std::uint64_t bytes = std::max(block, folio_bytes) * blocks;
  const std::uint64_t n = (bytes + folio_bytes - 1) / folio_bytes;
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(n, 1, pool_count));
}

HostReportedGiveBack::HostReportedGiveBack(FolioPool& pool, unsigned order, double wait_s)
    : pool_(pool),
      n_(folios_to_give_back(pool.folio_bytes(), pool.page_bytes(), order, pool.count())),
      wait_s_(wait_s) {}

void HostReportedGiveBack::give_back(std::size_t i) {
  restore();
  for (std::size_t k = 0; k < n_; ++k) {
    const std::size_t f = (i + k) % pool_.count();
    pool_.discard(f);
    if (k != 0) others_.push_back(f);
  }
  // The kernel's reporting worker runs about two seconds after enough free
  // memory has collected; the host then discards what was reported.
  std::this_thread::sleep_for(std::chrono::duration<double>(wait_s_));
}

void HostReportedGiveBack::restore() {
  for (std::size_t f : others_) {
    pool_.populate(f);
    pool_.reverify(f);
  }
  others_.clear();
}

}  // namespace zs
