// The cache state a folio is in when zeroing starts.
//   cold (default): the folio has not been touched for at least 4x the
//     last-level cache's worth of other folios: folios are drawn round-robin
//     from a pool at least that large (evict = pool), or its lines are
//     flushed from every level just before zeroing (evict = clflush).
//   warm: the folio was just written, so it sits in cache as far as it fits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zs {

enum class CacheState { cold, warm };
enum class Evict { pool, clflush };

std::optional<CacheState> parse_cache_state(std::string_view s);
std::optional<Evict> parse_evict(std::string_view s);
const char* to_string(CacheState c);
const char* to_string(Evict e);

// The source of an LLC size the user gave (`llc_size` of a sweep or of `measure`).
inline constexpr const char* kConfiguredLlc = "configured (llc_size)";

struct LlcInfo {
  std::uint64_t bytes = 0;
  // "sysfs cpu0 index3 (L3)", the CPU's own description
  // (platform::llc_from_cpu()), or kConfiguredLlc.
  std::string source;
};

// The last-level cache: sysfs cache topology, else what the CPU describes,
// else `configured` (which also overrides both when `prefer_configured`).
// Throws SetupError naming Option::llc_size as the fix when nothing knows.
LlcInfo detect_llc(std::optional<std::uint64_t> configured, bool prefer_configured = false);

// Folios needed so that round-robin use evicts each one before its reuse:
// at least 4x the LLC, and at least two.
std::size_t cold_pool_folios(std::uint64_t llc_bytes, std::uint64_t folio_bytes);

// Puts one folio in the state asked for, just before zeroing: writes it
// (warm), flushes it (cold + clflush), or nothing (cold + pool).
void prepare_cache_state(CacheState state, Evict evict, std::byte* folio, std::size_t bytes);

}  // namespace zs
