#include "memory/cache_state.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "platform/platform.h"
#include "common/errors.h"
#include "common/parse.h"
#include "machine/sysfs.h"

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

namespace {
// /sys/devices/system/cpu/cpu0/cache/index*/: the highest-level data or
// unified cache. Sizes are written like "32768K".
std::optional<LlcInfo> llc_from_sysfs() {
  namespace fs = std::filesystem;
  const fs::path dir = "/sys/devices/system/cpu/cpu0/cache";
  std::error_code ec;
  std::optional<LlcInfo> best;
  int best_level = 0;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename();
    if (name.rfind("index", 0) != 0) continue;
    auto level = sysfs::read_u64(e.path() / "level");
    auto type = sysfs::read(e.path() / "type");
    auto size = sysfs::read(e.path() / "size");
    if (!level || !type || !size || *type == "Instruction") continue;
    auto bytes = parse_size(*size);
    if (!bytes || int(*level) <= best_level) continue;
    best_level = int(*level);
    best = LlcInfo{*bytes, "sysfs cpu0 " + name + " (L" + std::to_string(*level) + ")"};
  }
  return best;
}
}  // namespace

LlcInfo detect_llc(std::optional<std::uint64_t> configured, bool prefer_configured) {
  if (configured && prefer_configured) return {*configured, "--llc-size"};
  if (auto s = llc_from_sysfs()) return *s;
  if (auto c = platform::llc_from_cpu())
    return {c->bytes, c->source + ", L" + std::to_string(c->level)};
  if (configured) return {*configured, "--llc-size"};
  throw SetupError(
      "last-level cache size unknown: no sysfs cache entries and no CPUID cache leaf; give it "
      "with --llc-size (e.g. --llc-size 32MiB)");
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
