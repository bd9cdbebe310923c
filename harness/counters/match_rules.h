// The [[match]] rules of an event file: which CPUs the file describes, as
// data. Read with the file (events.cc), applied by uarch_for
// (uarch_choice.cc).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "counters/events.h"

namespace zs {

// x86 (vendor, family, optional model ranges) or arm64 (implementer,
// optional parts).
struct MatchRule {
  std::string name, vendor;
  std::optional<unsigned> family, implementer;
  std::vector<std::pair<unsigned, unsigned>> models;
  std::vector<unsigned> parts;
  int line = 0;
};

struct ParsedEventFile {
  EventFile file;
  std::vector<MatchRule> rules;
};

// Throws SetupError "path:line: key: problem".
ParsedEventFile parse_event_file(const std::string& path);

}  // namespace zs
