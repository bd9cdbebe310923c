// A clearing plan: the exact, ordered list of clear calls a strategy makes
// over a folio, with the preemption points (cond_resched) between them, and
// for the alias strategies the temporary mappings the clears go through
// (map: a second mapping of pages [first, first + count) with 4 KiB entries,
// through which the following clears write; unmap: its removal, with the
// TLB flush it needs).
// Plans are data: printed by `zeroscope trace`, checked by the tests, and
// run by the executor, which is the only code that touches memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace zs {

struct PlanOp {
  enum class Kind : std::uint8_t { clear, resched, map, unmap };
  Kind kind;
  std::uint64_t first = 0;  // first base page (clear, map, unmap)
  std::uint64_t count = 0;  // base pages (clear, map, unmap)

  static PlanOp clear(std::uint64_t first, std::uint64_t count) {
    return {Kind::clear, first, count};
  }
  static PlanOp resched() { return {Kind::resched, 0, 0}; }
  static PlanOp map(std::uint64_t first, std::uint64_t count) { return {Kind::map, first, count}; }
  static PlanOp unmap(std::uint64_t first, std::uint64_t count) {
    return {Kind::unmap, first, count};
  }
  bool operator==(const PlanOp&) const = default;
};

struct Plan {
  std::uint64_t nr_pages = 0;
  std::vector<PlanOp> ops;

  void clear(std::uint64_t first, std::uint64_t count) {
    ops.push_back(PlanOp::clear(first, count));
  }
  void resched() { ops.push_back(PlanOp::resched()); }
  void map(std::uint64_t first, std::uint64_t count) { ops.push_back(PlanOp::map(first, count)); }
  void unmap(std::uint64_t first, std::uint64_t count) {
    ops.push_back(PlanOp::unmap(first, count));
  }
  // Appends [first, first + count) split into batches of `batch` pages with
  // a preemption point between consecutive batches. A preemption point is
  // also placed between this range and a clear call already in the plan,
  // so every batch boundary of an extent-based strategy is one.
  void clear_batched(std::uint64_t first, std::uint64_t count, std::uint64_t batch);

  std::uint64_t clear_calls() const;
  std::uint64_t resched_points() const;
  std::uint64_t map_calls() const;
  // Whether the clears go through temporary alias mappings (map/unmap ops).
  bool aliased() const { return map_calls() != 0; }
};

// `clear FIRST COUNT` per clear call, `resched` per preemption point,
// `map FIRST COUNT` / `unmap FIRST COUNT` per alias mapping.
void print_plan(const Plan& plan, std::FILE* out);
std::string format_plan(const Plan& plan);

}  // namespace zs
