// The machine a report's numbers were measured on, from meta.json's
// capability record: the CPU (model string, uarch, family/model/stepping,
// microcode, hypervisor), the kernel (release, preemption model,
// init_on_alloc, free page reporting) and the THP setting. A reviewer reads
// these before any number. A field the record holds as unknown reads
// "unknown" (its reason in the JSON); a field older results do not hold
// reads "not recorded", and the header says which fields those are. How the
// kernel zeroes the measured folios follows in its own lines
// (report/kernel_path_note.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace zs {

struct MachineHeader {
  // (field, value as shown): cpu, uarch, family_model_stepping, microcode,
  // hypervisor, host, kernel, preemption, init_on_alloc,
  // free_page_reporting, thp.
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> not_recorded;                     // fields older results lack
  std::vector<std::pair<std::string, std::string>> unknown;  // field -> the record's reason
  // report/emulation_warning.h: the first line when the record says the
  // numbers were measured under emulation; "" otherwise.
  std::string emulation_warning;
  const std::string& at(const std::string& field) const;
};

MachineHeader machine_header(const nlohmann::json& meta);

// Lines for the text header (to be wrapped at 80 columns) and the markdown
// one (each to be ended with a line break).
std::vector<std::string> machine_header_lines(const MachineHeader& h);
// {"cpu": ..., ..., "not_recorded": [...], "unknown": {field: reason}}, and
// "emulation_warning" only when there is one.
nlohmann::json machine_header_json(const MachineHeader& h);

}  // namespace zs
