// The emulation warning (emulation_warning.h), from the capability record.
#include "report/emulation_warning.h"

#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace zs {

std::string emulation_warning(const nlohmann::json& capability) {
  if (!capability.is_object()) return "";
  const auto kind_it = capability.find("emulation");
  if (kind_it == capability.end() || !kind_it->is_string()) return "";
  const std::string kind = kind_it->get<std::string>();
  if (kind == "none") return "";
  std::vector<std::string> signals;
  if (auto ev = capability.find("emulation_evidence"); ev != capability.end() && ev->is_array())
    for (const auto& s : *ev)
      if (s.is_object()) signals.push_back(s.value("signal", ""));
  std::string arch = "the named";
  if (auto cpu = capability.find("cpu"); cpu != capability.end() && cpu->is_object())
    arch = cpu->value("arch", arch);
  const std::string how = kind == "software-cpu" ? "on a software CPU model (full-system emulation)"
                          : kind == "user-mode"  ? "under user-mode emulation"
                                                 : "under " + kind + " emulation";
  return fmt::format("measured {}{}: timings and counters describe the emulator, not an {} CPU",
                     how, signals.empty() ? "" : fmt::format(" ({})", fmt::join(signals, "; ")),
                     arch);
}

}  // namespace zs
