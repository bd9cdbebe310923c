#include "memory/cache_state.h"

#include <algorithm>
#include <cstring>

#include "common/errors.h"
#include "machine/cache_topology.h"
#include "platform/platform.h"

namespace zs {

std::optional<CacheState> parse_cache_state(std::string_view s) {
  if (s == "cold") return CacheState::cold;
  if (s == "warm") return CacheState::warm;
  return std::nullopt;
}

std::optional<Evict> parse_evict(std::string_view s) {
  if (s == "pool") return Evict::pool;
  if (s == "clflush") return Evict::clflush;
  return std::nullopt;
}

const char* to_string(CacheState c) { return c == CacheState::cold ? "cold" : "warm"; }
const char* to_string(Evict e) { return e == Evict::pool ? "pool" : "clflush"; }

LlcInfo detect_llc(std::optional<std::uint64_t> configured, bool prefer_configured) {
  if (configured && prefer_configured) return {*configured, kConfiguredLlc};
  // The highest-level data or unified cache sysfs describes for cpu0.
  if (auto caches = sysfs_caches(); !caches.empty()) {
    const SysfsCache& c = caches.back();
    return {c.bytes, c.source + " (L" + std::to_string(c.level) + ")"};
  }
  if (auto c = platform::llc_from_cpu())
    return {c->bytes, c->source + ", L" + std::to_string(c->level)};
  if (configured) return {*configured, kConfiguredLlc};
  throw SetupError(
      "last-level cache size unknown: no sysfs cache entries and no cache "
      "description from the CPU; give it with " +
      option_ref(Option::llc_size) + " (e.g. 32MiB)");
}

std::size_t cold_pool_folios(std::uint64_t llc_bytes, std::uint64_t folio_bytes) {
  std::uint64_t n = (4 * llc_bytes + folio_bytes - 1) / folio_bytes;
  return static_cast<std::size_t>(std::max<std::uint64_t>(n, 2));
}

void prepare_cache_state(CacheState state, Evict evict, std::byte* folio, std::size_t bytes) {
  if (state == CacheState::warm) {
    std::memset(folio, 0x5a, bytes);
  } else if (evict == Evict::clflush) {
    platform::flush_range(folio, bytes);
  }
}

}  // namespace zs
