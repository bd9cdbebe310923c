// The `memory` axis: what memory a folio comes from. "recycled" (the
// default) is memory the guest freed a moment ago; "host-reported" is memory
// freed long enough for free page reporting to hand it to the host, which
// discards it (measure/host_reported.h, docs/host-reported.md). A
// host-reported point needs reporting active here: refused at load, or left
// out with the reason when written "host-reported?" (like "1GB?"). Only
// host-reported points carry the axis in their key ("/host-reported"), so
// every recycled key is the key it always was.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "machine/kernel_facts.h"
#include "sweep/axis_readers.h"
#include "sweep/sweep_config.h"

namespace zs {

class PointRunner;

namespace sweep_axes {
// "recycled", "host-reported"; "host-reported?" sets *optional (null: refused).
Memory read_memory(const ValueReader& r, const toml::node& n, bool* optional);
}  // namespace sweep_axes

// Free page reporting on this machine, read once.
const FreePageReporting& machine_reporting();

// Why host-reported memory cannot be measured with `fpr`, or nullopt.
std::optional<std::string> reporting_problem(const FreePageReporting& fpr);

// Refuses host-reported values where `fpr` says reporting is inactive
// ("file:line: axes.memory: cause; fix"), or turns "host-reported?" into a
// rule of cfg.unavailable that says why. Before the points are expanded.
void check_memory(SweepConfig& cfg, const FreePageReporting& fpr);
// Refuses host-reported points whose backing cannot be reported (hugetlb).
void check_memory_points(const SweepConfig& cfg, const std::vector<Point>& points);

// The pool size a (backing, size) needs for its host-reported points: the
// folios one sample gives back, and one more (0 when it has none).
std::size_t host_reported_pool_min(const std::vector<Point>& points, Backing backing,
                                   std::uint64_t folio_bytes);
// Arms a host-reported point's runner with this machine's order and the wait.
void arm_host_reported(PointRunner& runner, const SweepSettings& settings);

// The seconds the waits add to a run: report_wait for every host-reported
// sample, warm-up included.
double host_reported_wait_seconds(const std::vector<Point>& points, const SweepSettings& s);

// meta.json's "memory": the reporting facts and report_wait of this run.
nlohmann::json memory_meta(const std::vector<Point>& points, const SweepSettings& s,
                           const FreePageReporting& fpr);

}  // namespace zs
