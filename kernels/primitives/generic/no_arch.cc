// Architectures without primitives of their own: only memset, which is also
// what the kernel's generic clear_page() amounts to.
#include "primitives/primitive.h"

namespace zs {
std::span<const PrimitiveInfo> arch_primitives() { return {}; }
KernelChoice arch_kernel_choice() {
  return {"memset", "no architecture-specific clear_page() known"};
}
std::string_view arch_name() { return "generic"; }
}  // namespace zs
