// The warning a report, a comparison or a run prints first when the
// capability record says the numbers were measured under emulation
// (machine/emulation.h): qemu-user translates every instruction, so times,
// cycle counts and cache effects describe the emulator, not the CPU the
// record names.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace zs {

// One line, "measured under qemu-user emulation (<signals>): timings and
// counters describe the emulator, not an arm64 CPU" (the caller puts its
// "WARNING: " before it); "" when the record says "none" or predates the
// field (older results).
std::string emulation_warning(const nlohmann::json& capability);

}  // namespace zs
