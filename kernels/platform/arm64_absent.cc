// Off arm64 there are no arm64 registers or HWCAP words to read.
#include "platform/arm64_cpu.h"

namespace zs::platform::arm64 {

std::optional<std::uint64_t> read_ctr_el0() { return std::nullopt; }
std::optional<std::uint64_t> read_dczid_el0() { return std::nullopt; }
std::optional<Hwcaps> read_hwcaps() { return std::nullopt; }
std::optional<std::uint64_t> read_midr_el1() { return std::nullopt; }

}  // namespace zs::platform::arm64
