// The libc reference every primitive is compared with.
#include <cstring>

#include "primitives/primitive.h"

extern "C" void zs_zero_memset(void* dst, std::size_t bytes) { std::memset(dst, 0, bytes); }

namespace zs {
namespace {
Availability always() { return {true, "libc memset"}; }
constexpr PrimitiveInfo kGeneric[] = {
    {"memset", "any", "", 1, 1, zs_zero_memset, always, "libc memset(dst, 0, bytes)"},
};
}  // namespace

std::span<const PrimitiveInfo> generic_primitives() { return kGeneric; }

}  // namespace zs
