// Wall-clock and monotonic time for everything outside the measuring path
// (the phase meter has its own inline clock reads): one place, so every
// timestamp in results and messages has the same format.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace zs {

// Seconds on the monotonic clock (std::chrono::steady_clock): intervals only.
inline double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
inline std::uint64_t monotonic_ns() {
  return std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now().time_since_epoch())
                           .count());
}

// "2026-11-28T17:02:35Z": now, in UTC, to the second (meta.json, records).
std::string utc_iso_now();
// "20261128-170235": now, local time (results directory names).
std::string local_stamp_now();

}  // namespace zs
