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
//   usemem         vm-scalability's usemem (case-anon-w-seq, the user side
//                  of the published comparisons): the whole folio from its
//                  start, whatever the fault address, one 8-byte store per
//                  word in order, each word its own index (p[i] = i); read:
//                  one load per word (usemem -o)
//   residency      no access: the residency probe (measure/residency.h)
//                  times loads to every page instead
// `read` loads every 8-byte word of the region and sums them into the
// sample's sink (a program reading what it faulted; the compiler vectorises
// the sum, so the loads run as fast as the lines arrive and their cost is
// where the lines were). `write` fills the region with glibc's memset, as
// programs write after a fault (calloc-like clears, buffers filled by
// library code): on x86-64 glibc uses vector stores below its rep-stosb
// threshold (2 KiB by default) and `rep stosb` above, since glibc 2.40
// non-temporal stores above its non-temporal threshold; the old loop of
// 8-byte volatile stores was bound by store throughput, not by where the
// lines were. usemem writes word by word, as usemem itself does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zs {

// usemem and residency appended last: the order of the names is the order of messages.
enum class AccessPattern {
  none,
  touch,
  page,
  neighbourhood,
  stream,
  folio,
  random,
  usemem,
  residency
};
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

// "page:write", "usemem:read": the name meta.json and the report use.
std::string access_name(const AccessSpec& spec);

// What a `write` stores (memset's byte): never zero, so a write is never
// mistaken for the zeroing it follows.
constexpr int kAccessFill = 0xa5;

// The byte ranges (or, for random, the line offsets) one access phase
// touches, computed before the timed region so that the access loop itself
// is nothing but loads or stores.
struct AccessPlan {
  AccessOp op = AccessOp::write;
  bool word_index = false;  // usemem: each word stores its index in the folio
  std::size_t line = 64;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;  // (offset, bytes), line-aligned
  std::vector<std::uint64_t> lines;                             // random: line offsets
  std::uint64_t bytes() const;
};

// `hint_offset` is addr_hint - folio base. `seed` fixes the random lines.
AccessPlan make_access_plan(const AccessSpec& spec, std::uint64_t folio_bytes,
                            std::uint64_t page_size, std::uint64_t hint_offset, std::size_t line,
                            std::uint64_t seed);

namespace access_detail {

// Keeps the compiler from assuming anything about memory across this point:
// loads after it are really made, stores before it really happen (the
// region is read by nothing the compiler can see). Emits no instruction.
inline void clobber_memory() { asm volatile("" ::: "memory"); }

inline std::uint64_t sum_words(const std::byte* p, std::uint64_t bytes) {
  std::uint64_t sum = 0;
  for (std::uint64_t o = 0; o < bytes; o += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + o, 8);  // a plain load; memcpy keeps it aliasing-safe
    sum += w;
  }
  return sum;
}

// usemem's do_unit(): p[idx] = idx over the region, idx the word's index.
inline void store_word_index(std::byte* folio, std::uint64_t off, std::uint64_t bytes) {
  for (std::uint64_t o = off; o < off + bytes; o += 8) {
    const std::uint64_t idx = o / 8;
    std::memcpy(folio + o, &idx, 8);
  }
}

}  // namespace access_detail

// Runs the plan over the folio; returns the sum of what was read (0 for
// writes), for the sample's sink. Inline: it is a measured phase.
inline std::uint64_t run_access(const AccessPlan& plan, std::byte* folio) {
  using namespace access_detail;
  std::uint64_t sum = 0;
  clobber_memory();
  auto one = [&](std::uint64_t off, std::uint64_t bytes) {
    if (plan.op == AccessOp::read)
      sum += sum_words(folio + off, bytes);
    else if (plan.word_index)
      store_word_index(folio, off, bytes);
    else
      std::memset(folio + off, kAccessFill, bytes);
  };
  for (const auto& [off, bytes] : plan.ranges) one(off, bytes);
  for (std::uint64_t o : plan.lines) one(o, plan.line);
  clobber_memory();
  return sum;
}

}  // namespace zs
