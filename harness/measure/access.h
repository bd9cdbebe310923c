// What the faulting program does next, reproduced right after the zeroing:
// the access phase. Its cost is where a strategy's cache behaviour shows:
// a neighbourhood cleared last is still in cache, one cleared first is not.
//   none           nothing
//   touch          the cache line at addr_hint
//   page           the base page containing addr_hint
//   neighbourhood  pages T-2..T+2, clamped to the folio
//   stream         from addr_hint to the end of the folio, in order (a
//                  program initialising what it just faulted)
//   folio          the whole folio from its start
//   random         K seeded random lines of the folio
//   residency      no access: the residency probe (measure/residency.h)
//                  times loads to every page instead
// `read` loads one word per cache line; `write` stores every word of each
// line (a program filling memory, not a single RFO per line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zs {

enum class AccessPattern { none, touch, page, neighbourhood, stream, folio, random, residency };
enum class AccessOp { read, write };

std::optional<AccessPattern> parse_access_pattern(std::string_view s);
std::optional<AccessOp> parse_access_op(std::string_view s);
const char* to_string(AccessPattern p);
const char* to_string(AccessOp op);
std::string access_pattern_names();  // "none, touch, ..." for messages

struct AccessSpec {
  AccessPattern pattern = AccessPattern::page;
  AccessOp op = AccessOp::write;
  std::uint32_t random_lines = 64;  // K for `random`
};

// The byte ranges (or, for random, the line offsets) one access phase
// touches, computed before the timed region so that the access loop itself
// is nothing but loads or stores.
struct AccessPlan {
  AccessOp op = AccessOp::write;
  std::size_t line = 64;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // (offset, bytes), line-aligned
  std::vector<std::uint64_t> lines;                             // random: line offsets
  std::uint64_t bytes() const;
};

// `hint_offset` is addr_hint - folio base. `seed` fixes the random lines.
AccessPlan make_access_plan(const AccessSpec& spec, std::uint64_t folio_bytes,
                            std::uint64_t page_size, std::uint64_t hint_offset, std::size_t line,
                            std::uint64_t seed);

// Runs the plan over the folio; returns a value derived from what was read
// so that the loads cannot be elided. Inline: it is a measured phase.
inline std::uint64_t run_access(const AccessPlan& plan, std::byte* folio) {
  std::uint64_t sum = 0;
  const std::size_t line = plan.line;
  auto one_line = [&](std::uint64_t off) {
    auto* p = reinterpret_cast<volatile std::uint64_t*>(folio + off);
    if (plan.op == AccessOp::read) {
      sum += p[0];
    } else {
      for (std::size_t w = 0; w < line / 8; ++w) p[w] = off + w + 1;  // never zero
    }
  };
  for (const auto& [off, bytes] : plan.ranges)
    for (std::uint64_t o = off; o < off + bytes; o += line) one_line(o);
  for (std::uint64_t o : plan.lines) one_line(o);
  return sum;
}

}  // namespace zs
