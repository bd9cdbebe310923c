#include "measure/executor.h"

#include <cstdint>

#include <fmt/format.h>

#include "measure/alias_executor.h"

namespace zs {

std::optional<std::string> check_executable(const Plan& plan, const Primitive& prim,
                                            const void* base, std::size_t folio_bytes,
                                            std::size_t page_size, bool alias_source) {
  if (!prim.available)
    return fmt::format("primitive '{}' is not available on this CPU: {}", prim.name(), prim.why);
  if (plan.nr_pages * page_size != folio_bytes)
    return fmt::format("plan covers {} pages of {} bytes, the folio is {} bytes", plan.nr_pages,
                       page_size, folio_bytes);
  if (reinterpret_cast<std::uintptr_t>(base) % prim.align != 0)
    return fmt::format("folio base {} is not {}-byte aligned as '{}' needs", base, prim.align,
                       prim.name());
  if (page_size % prim.granule != 0 || page_size % prim.align != 0)
    return fmt::format("page size {} is not a multiple of '{}''s granule {} / alignment {}",
                       page_size, prim.name(), prim.granule, prim.align);
  if (plan.aliased() && !alias_source)
    return std::string(
        "this strategy zeroes through an alias mapping, which needs a memfd-backed folio");
  if (plan.aliased()) return check_aliased(plan);
  for (const PlanOp& op : plan.ops) {
    if (op.kind != PlanOp::Kind::clear) continue;
    if (op.count == 0 || op.first >= plan.nr_pages || op.count > plan.nr_pages - op.first)
      return fmt::format("plan clears pages [{}, {}) outside the folio of {} pages", op.first,
                         op.first + op.count, plan.nr_pages);
  }
  return std::nullopt;
}

}  // namespace zs
