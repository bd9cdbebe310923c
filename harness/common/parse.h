// Strict parsing of user-supplied numbers and sizes: a whole-string match or
// nothing, so "12abc", "-1" and "" are rejected rather than truncated.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zs {

// Decimal, or hexadecimal with 0x; no sign, no spaces.
std::optional<std::uint64_t> parse_u64(std::string_view s);

// A byte size: a number with an optional unit B, K/KB/KiB, M/MB/MiB,
// G/GB/GiB, T/TB/TiB (binary multiples, as the kernel's hugepage sizes are).
// Whether the machine can hold it is for the caller to check.
std::optional<std::uint64_t> parse_size(std::string_view s);

// User input echoed inside a one-line message, with control characters
// escaped ("\n", "\t", "\x1b"), so a newline in a label cannot split the line.
std::string printable(std::string_view s);

}  // namespace zs
