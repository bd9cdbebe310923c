// Which event file describes this CPU: the first file (in name order) with
// a [[match]] rule for it, else generic; the choice says which rule matched.
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/data_dir.h"
#include "common/errors.h"
#include "counters/events.h"
#include "counters/match_rules.h"
#include "platform/arm64_cpu.h"

namespace zs {

namespace {

namespace fs = std::filesystem;

bool matches(const MatchRule& r, const CpuIdentity& cpu) {
  if (r.implementer) {
    if (cpu.implementer != *r.implementer) return false;
    return r.parts.empty() || std::find(r.parts.begin(), r.parts.end(), cpu.part) != r.parts.end();
  }
  if (cpu.vendor != r.vendor || cpu.family != *r.family) return false;
  if (r.models.empty()) return true;
  return std::any_of(r.models.begin(), r.models.end(),
                     [&](const auto& m) { return cpu.model >= m.first && cpu.model <= m.second; });
}

std::string describe(const MatchRule& r) {
  if (r.implementer) {
    const std::string parts = fmt::format("{:#x}", fmt::join(r.parts, ", "));
    return fmt::format("implementer {:#x}, parts {}", *r.implementer,
                       parts.empty() ? "any" : parts);
  }
  std::vector<std::string> models;
  for (auto [lo, hi] : r.models)
    models.push_back(lo == hi ? fmt::format("{:#x}", lo) : fmt::format("{:#x}-{:#x}", lo, hi));
  return fmt::format("{} family {:#x}, models {}", r.vendor, *r.family,
                     models.empty() ? "any" : fmt::format("{}", fmt::join(models, ", ")));
}

std::string describe(const CpuIdentity& c) {
  if (c.implementer != 0) {
    const platform::arm64::Core* core = platform::arm64::find_core(c.implementer, c.part);
    return fmt::format("arm64 implementer {:#x} part {:#x}{}", c.implementer, c.part,
                       core ? fmt::format(" [{}]", core->name) : std::string());
  }
  return fmt::format("{} family {:#x} model {:#x}", c.vendor, c.family, c.model);
}

// An arm64 core the identification table knows but no event file matches:
// name the file that would describe it.
std::string arm64_file_note(const CpuIdentity& c) {
  const platform::arm64::Core* core = platform::arm64::find_core(c.implementer, c.part);
  if (c.implementer == 0 || core == nullptr) return "";
  return fmt::format(" (the core table names uarch {}; there is no {}.toml)", core->uarch,
                     core->uarch);
}

}  // namespace

std::string events_dir() {
  if (const char* d = std::getenv("ZS_EVENTS_DIR"); d != nullptr && *d != '\0') return d;
  return data_dir(DataDir::events);
}

std::vector<std::string> known_uarchs() {
  const std::string dir = events_dir();
  std::error_code ec;
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") out.push_back(e.path().stem().string());
  if (ec)
    throw SetupError(fmt::format(
        "events directory {}: {}; set ZS_EVENTS_DIR to a directory of <uarch>.toml files", dir,
        ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

UarchChoice uarch_for(const CpuIdentity& cpu) {
  std::vector<std::string> hits;
  UarchChoice choice{"generic", ""};
  const std::string model = cpu.model_name.empty() ? "no model name" : cpu.model_name;
  for (const auto& stem : known_uarchs()) {
    ParsedEventFile p = parse_event_file(events_dir() + "/" + stem + ".toml");
    for (const auto& rule : p.rules) {
      if (!matches(rule, cpu)) continue;
      hits.push_back(stem);
      if (hits.size() == 1) {
        choice.uarch = stem;
        choice.why = fmt::format("{} ({}) -> {}: {}.toml:{} rule '{}' ({})", describe(cpu), model,
                                 stem, stem, rule.line, rule.name, describe(rule));
      }
      break;
    }
  }
  if (hits.empty())
    choice.why = fmt::format("{} ({}) -> generic: no [[match]] rule in {} matches{}", describe(cpu),
                             model, events_dir(), arm64_file_note(cpu));
  else if (hits.size() > 1)
    choice.why +=
        fmt::format(" (also matched, ignored: {})", fmt::join(hits.begin() + 1, hits.end(), ", "));
  return choice;
}

}  // namespace zs
