// The harness's own pages (its code, libraries, heap and stack), touched
// once before a timed phase on host-reported memory. When the host discards
// the blocks the guest reported, it also drops its translations of guest
// pages still in use around them: on the development VM, after each report
// cycle, a few hundred of zeroscope's ~3300 own pages took 10-700 us on
// their first touch, with no guest fault, interrupt or context switch (the
// time is spent outside the guest). A timed phase whose code sat on such a
// page measured that instead of its own work (an empty plan: 125 us).
// Touching them first keeps the phases about the folio; the count and the
// time are recorded, since they are the host's cost too. docs/host-reported.md.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace zs {

struct AddressRange {
  std::uintptr_t lo = 0, hi = 0;
};

// The mappings of /proc/self/maps' text to touch: readable ones with a
// name (the executable, its libraries, [heap], [stack], [vdso]), except
// memfd mappings (alias pools), named anonymous memory ([anon:...]) and the
// kernel's [vvar]/[vsyscall] pages. Unnamed anonymous mappings (the folio
// pools among them) are left alone: reading a pool's unpopulated page would
// map the zero page there.
std::vector<AddressRange> own_ranges(std::string_view maps);

struct SettleResult {
  std::uint64_t pages = 0;       // touched
  std::uint64_t slow_pages = 0;  // whose first touch took kSlowTouchNs or more
  std::uint64_t ns = 0;          // the first pass, in ns
};
inline constexpr std::uint64_t kSlowTouchNs = 10'000;

// Reads one byte of every page of `ranges` twice: the first pass, timed per
// page, brings back what the host dropped; the second, untimed, leaves the
// translations of the last-touched pages cached as a recycled sample finds
// them.
SettleResult touch_pages(const std::vector<AddressRange>& ranges, std::uint64_t page_bytes);

// own_ranges() of this process, touched.
SettleResult settle_own_pages();

}  // namespace zs
