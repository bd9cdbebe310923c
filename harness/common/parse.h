// Strict parsing of user-supplied numbers and sizes: a whole-string match or
// nothing, so "12abc", "-1" and "" are rejected rather than truncated.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace zs {

// Decimal, or hexadecimal with 0x; no sign, no spaces.
std::optional<std::uint64_t> parse_u64(std::string_view s);

// A byte size: a number with an optional unit B, K/KB/KiB, M/MB/MiB,
// G/GB/GiB (binary multiples, as the kernel's hugepage sizes are).
std::optional<std::uint64_t> parse_size(std::string_view s);

}  // namespace zs
