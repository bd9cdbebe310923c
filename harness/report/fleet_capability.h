// The capability records of a fleet's hosts side by side, for `report --by
// host`: CPU model (on arm64 without a model name, its MIDR implementer and
// part), vendor, uarch, family/model/stepping or MIDR, microcode,
// hypervisor, kernel release, preemption model, init_on_alloc, free page
// reporting, THP, how the kernel zeroes each measured folio (its path,
// meta.json's kernel_strategy else capability.kernel.zeroing), the
// clear_page primitive, and whether a hardware PMU was available or why
// not. A value the record holds as null reads "unknown", one an older
// record lacks "not recorded" (report/report_header.h's rules).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace zs {

struct FleetCapability {
  // (json key, label): cpu "CPU", ..., "zeroing thp 2 MiB", "clear_page", "PMU".
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::vector<std::string>> values;  // [field][host]
};

// `folios`: the (backing, folio size) pairs the fleet measured, for the
// zeroing rows.
FleetCapability fleet_capability(const std::vector<const nlohmann::json*>& metas,
                                 const std::vector<std::pair<std::string, std::uint64_t>>& folios);

// Text: per field, one line per host ("  CPU          lab-xeon    Intel(R) ..."),
// wrapped at 80 columns. Markdown: one table, a column per host.
std::string render_fleet_capability_text(const FleetCapability& c,
                                         const std::vector<std::string>& hosts);
std::string render_fleet_capability_markdown(const FleetCapability& c,
                                             const std::vector<std::string>& hosts);
// `s` with '|' escaped, for a markdown table cell.
std::string markdown_cell(const std::string& s);
// {host: {key: value}}.
nlohmann::json fleet_capability_json(const FleetCapability& c,
                                     const std::vector<std::string>& hosts);

}  // namespace zs
