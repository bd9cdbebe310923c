#include "machine/procfs.h"

#include <sstream>

namespace zs::procfs {
namespace {

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Calls f(line) for each line of text, without its newline.
template <class F>
void for_each_line(std::string_view text, F f) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    f(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

}  // namespace

std::map<std::string, std::string> cpuinfo_fields(std::string_view text) {
  std::map<std::string, std::string> out;
  for_each_line(text, [&](std::string_view line) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    std::string key(trim(line.substr(0, colon)));
    if (!key.empty()) out.emplace(std::move(key), std::string(trim(line.substr(colon + 1))));
  });
  return out;
}

std::set<std::string> cpuinfo_flags(std::string_view text) {
  const auto fields = cpuinfo_fields(text);
  const auto it = fields.find("flags");
  if (it == fields.end()) return {};
  std::set<std::string> flags;
  std::istringstream words(it->second);
  for (std::string w; words >> w;) flags.insert(w);
  return flags;
}

NodeMemory node_meminfo(std::string_view text) {
  NodeMemory m;
  for_each_line(text, [&](std::string_view line) {
    std::istringstream w{std::string(line)};
    std::string node, id, key, unit;
    std::uint64_t kb;
    if (!(w >> node >> id >> key >> kb >> unit) || node != "Node" || unit != "kB") return;
    if (key == "MemTotal:") m.total_bytes = kb << 10;
    if (key == "MemFree:") m.free_bytes = kb << 10;
  });
  return m;
}

std::optional<std::string> cmdline_value(std::string_view cmdline, std::string_view key) {
  std::optional<std::string> value;
  std::istringstream args{std::string(cmdline)};
  const std::string prefix = std::string(key) + "=";
  for (std::string a; args >> a;)
    if (a.rfind(prefix, 0) == 0) value = a.substr(prefix.size());
  return value;
}

std::string selected_choice(std::string_view choices) {
  for (auto [open, close] : {std::pair{'[', ']'}, std::pair{'(', ')'}}) {
    const auto o = choices.find(open);
    if (o == std::string_view::npos) continue;
    const auto c = choices.find(close, o);
    if (c != std::string_view::npos) return std::string(choices.substr(o + 1, c - o - 1));
  }
  return std::string(choices);
}

std::set<std::string> config_enabled(std::string_view config) {
  std::set<std::string> out;
  for_each_line(config, [&](std::string_view line) {
    line = trim(line);
    if (line.size() > 2 && line.rfind("CONFIG_", 0) == 0 && line.substr(line.size() - 2) == "=y")
      out.emplace(line.substr(0, line.size() - 2));
  });
  return out;
}

}  // namespace zs::procfs
