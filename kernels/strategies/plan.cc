#include "strategies/plan.h"

#include <algorithm>

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

std::uint64_t Plan::resched_points() const {
  return std::count_if(ops.begin(), ops.end(),
                       [](const PlanOp& op) { return op.kind == PlanOp::Kind::resched; });
}

std::uint64_t Plan::map_calls() const {
  return std::count_if(ops.begin(), ops.end(),
                       [](const PlanOp& op) { return op.kind == PlanOp::Kind::map; });
}

std::string format_plan(const Plan& plan) {
  std::string s;
  for (const PlanOp& op : plan.ops) {
    switch (op.kind) {
      case PlanOp::Kind::clear:
        s += "clear ";
        break;
      case PlanOp::Kind::map:
        s += "map ";
        break;
      case PlanOp::Kind::unmap:
        s += "unmap ";
        break;
      case PlanOp::Kind::resched:
        s += "resched\n";
        continue;
    }
    s += std::to_string(op.first) + " " + std::to_string(op.count) + "\n";
  }
  return s;
}

void print_plan(const Plan& plan, std::FILE* out) { std::fputs(format_plan(plan).c_str(), out); }

}  // namespace zs
