// strategy = "kernel": an alias, like the `kernel` primitive, that resolves
// per point to the replica of this kernel's own zeroing path for the point's
// backing and folio size (machine/kernel_path.h). Points, samples and keys
// carry the real strategy name, width and batch; meta.json's
// `kernel_strategy` keeps the table entries the run resolved it with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "machine/kernel_path.h"
#include "measure/experiment.h"

namespace zs {

struct SweepConfig;

inline constexpr std::string_view kKernelStrategyAlias = "kernel";

// The entry "kernel" resolves to for one backing and size; nullptr with
// `why` set when the table has no usable entry (no strategy, the reason).
const KernelZeroing* kernel_strategy_entry(Backing backing, std::uint64_t folio_bytes,
                                           std::string* why);

// Gives the point the entry's strategy, width and batch.
void apply_kernel_strategy(Point& p, const KernelZeroing& z);

// The message that refuses "kernel" for a (backing, size): the reason and the fix.
std::string kernel_strategy_refusal(Backing backing, std::uint64_t folio_bytes,
                                    const std::string& why);

// meta.json `kernel_strategy`: the entries (to_json) used for the points'
// (backing, size) pairs when the config names "kernel"; [] otherwise.
nlohmann::json kernel_strategy_json(const SweepConfig& config, const std::vector<Point>& points);

// For the run header: "kernel path: THP 2 MiB: left-right (...)" for each
// huge (backing, size) of the points, from this kernel's table.
std::vector<std::string> kernel_path_header(const std::vector<Point>& points);

}  // namespace zs
