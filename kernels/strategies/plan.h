// A clearing plan: the exact, ordered list of clear calls a strategy makes
// over a folio, with the preemption points (cond_resched) between them.
// Plans are data: printed by `zeroscope trace`, checked by the tests, and
// run by the executor, which is the only code that touches memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace zs {

struct PlanOp {
  enum class Kind : std::uint8_t { clear, resched };
  Kind kind;
  std::uint64_t first = 0;  // first base page (clear only)
  std::uint64_t count = 0;  // base pages (clear only)

  static PlanOp clear(std::uint64_t first, std::uint64_t count) {
    return {Kind::clear, first, count};
  }
  static PlanOp resched() { return {Kind::resched, 0, 0}; }
  bool operator==(const PlanOp&) const = default;
};

struct Plan {
  std::uint64_t nr_pages = 0;
  std::vector<PlanOp> ops;

  void clear(std::uint64_t first, std::uint64_t count) {
    ops.push_back(PlanOp::clear(first, count));
  }
  void resched() { ops.push_back(PlanOp::resched()); }
  // Appends [first, first + count) split into batches of `batch` pages with
  // a preemption point between consecutive batches. A preemption point is
  // also placed between this range and a clear call already in the plan,
  // so every batch boundary of an extent-based strategy is one.
  void clear_batched(std::uint64_t first, std::uint64_t count, std::uint64_t batch);

  std::uint64_t clear_calls() const;
  std::uint64_t resched_points() const;
};

// `clear FIRST COUNT` per clear call, `resched` per preemption point.
void print_plan(const Plan& plan, std::FILE* out);
std::string format_plan(const Plan& plan);

}  // namespace zs
