// Where in the folio the fault happened: the target page T and the in-page
// offset of addr_hint. Given as first, middle, last, random (seeded, a new
// page each sample), a page index, or offset:BYTES (a byte offset into the
// folio).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace zs {

struct TargetSpec {
  enum class Kind { first, middle, last, random, page, byte_offset } kind = Kind::first;
  std::uint64_t value = 0;  // page index or byte offset

  // first|middle|last|random|N|offset:BYTES; nullopt when malformed.
  static std::optional<TargetSpec> parse(std::string_view s);
  std::string name() const;  // as parsed: "middle", "300", "offset:1MiB"...
};

struct Target {
  std::uint64_t page = 0;         // T, in [0, nr_pages)
  std::uint64_t page_offset = 0;  // addr_hint's offset inside page T
};

// Resolves a spec for a folio of nr_pages pages of page_size bytes; nullopt
// when the page or offset lies outside the folio. `rng` is used by random
// only (a random page, addr_hint at its start as perf bench does per page).
std::optional<Target> resolve_target(const TargetSpec& spec, std::uint64_t nr_pages,
                                     std::uint64_t page_size, std::mt19937_64& rng);

}  // namespace zs
