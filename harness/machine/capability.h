// The capability record: what this machine is and what it lets zeroscope
// measure, written into every results directory and printed by
// `zeroscope info`, so that results from two machines can be compared long
// after either was measured.
//
// Every field is read, never assumed: one that cannot be read is JSON null
// and has an entry in the top-level "missing" object, keyed by its path
// ("cpu.microcode", "hugetlb.0.surplus"), whose value says why.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zs {

// Bumped when a field changes meaning or moves; added fields do not bump it.
inline constexpr const char* kCapabilitySchema = "zeroscope-capability/1";

// The top-level sections, in the order the record and its text show them.
// schema, zeroscope_version, collected_at, emulation (machine/emulation.h:
// with emulation_evidence and emulation_checked), host, cpu, kernel, tsc, perf,
// thp, hugetlb, caches, numa, cpufreq, primitives, metrics, missing.
const std::vector<std::string>& capability_sections();

// Gathers the record (about 0.1 s: the TSC may be calibrated, and every
// metric of the CPU's event file is test-opened).
nlohmann::json capability_record();

// The record as aligned "key  value" lines under section headings, no
// colour; a null field shows as "unknown (<reason>)".
std::string format_capability_text(const nlohmann::json& record);

}  // namespace zs
