#include "strategies/plan.h"

#include <algorithm>
#include <cinttypes>

namespace zs {

void Plan::clear_batched(std::uint64_t first, std::uint64_t count, std::uint64_t batch) {
  if (count == 0) return;
  if (batch == 0) batch = count;
  for (std::uint64_t done = 0; done < count;) {
    if (!ops.empty() && ops.back().kind == PlanOp::Kind::clear) resched();
    std::uint64_t n = std::min(batch, count - done);
    clear(first + done, n);
    done += n;
  }
}

std::uint64_t Plan::clear_calls() const {
  return std::count_if(ops.begin(), ops.end(),
                       [](const PlanOp& op) { return op.kind == PlanOp::Kind::clear; });
}

std::uint64_t Plan::resched_points() const { return ops.size() - clear_calls(); }

void print_plan(const Plan& plan, std::FILE* out) {
  for (const PlanOp& op : plan.ops) {
    if (op.kind == PlanOp::Kind::clear)
      std::fprintf(out, "clear %" PRIu64 " %" PRIu64 "\n", op.first, op.count);
    else
      std::fputs("resched\n", out);
  }
}

std::string format_plan(const Plan& plan) {
  std::string s;
  for (const PlanOp& op : plan.ops) {
    if (op.kind == PlanOp::Kind::clear)
      s += "clear " + std::to_string(op.first) + " " + std::to_string(op.count) + "\n";
    else
      s += "resched\n";
  }
  return s;
}

}  // namespace zs
