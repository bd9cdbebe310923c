#include <cstring>

#include "platform/platform.h"

namespace zs::platform {

std::string_view timestamp_name() { return ""; }
std::size_t cache_line_bytes() { return 64; }
// Without a flush instruction the best we can do is nothing: the harness
// refuses `evict = clflush` on such machines (flush_name() is empty).
void flush_range(const void*, std::size_t) {}
std::string_view flush_name() { return ""; }
std::optional<CacheSize> llc_from_cpu() { return std::nullopt; }

}  // namespace zs::platform
