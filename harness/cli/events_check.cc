// zeroscope events --check: the event file against the installed libpfm4's
// own tables (counters/event_check.h), one line per entry. Exit 0 when
// every entry agrees or has nothing to compare, 1 on a difference or an
// entry libpfm4 cannot encode, 77 when this libpfm4 lacks the file's table
// (the x86 build has no Arm tables): nothing was checked, as ctest's skip.
#include "cli/events_check.h"

#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "counters/event_check.h"

namespace zs::cli {

namespace {

// "4.13.0 (libpfm.so.4.13.0; ...)" -> "4.13.0"
std::string release_of(const std::string& version) { return version.substr(0, version.find(' ')); }

// When the file records a check by another libpfm4 release, say so: the
// tables change between releases (events renamed, codes added).
std::string version_note(const EventFile& f, const std::string& version) {
  if (f.checked.empty()) return "the file records no check; add checked = \"...\" (README.md)";
  const std::string want = "libpfm4 " + release_of(version);
  if (f.checked.rfind(want, 0) == 0) return {};
  return fmt::format("the recorded check is not by {}: compare the tables of both releases", want);
}

}  // namespace

int run_events_check(const EventFile& f, bool json) {
  const std::string table = core_table(f);
  // Before the first encoding of this process: libpfm4 reads it once.
  const std::string forced = force_arm_table(table);
  const CheckEncoder enc = libpfm_check_encoder();
  const std::string version = pfm_version();

  if (!table.empty() && !enc.has_table(table)) {
    const std::string line = fmt::format(
        "{}: not checked: libpfm4 {} here has no '{}' table{}; run the check with "
        "the arm64 build (under qemu-aarch64 or on the machine)",
        f.uarch, version, table,
        table.rfind("arm_", 0) == 0 ? " (its x86 build has no Arm tables)" : "");
    if (json)
      fmt::print(
          "{}\n",
          nlohmann::ordered_json{{"uarch", f.uarch}, {"checked", false}, {"reason", line}}.dump(2));
    else
      fmt::print("SKIPPED: {}\n", line);
    std::fflush(stdout);
    return 77;
  }

  const FileCheck c = check_event_file(f, enc);
  const bool active = !table.empty() && pfm_table_active(table);
  std::string table_line = table.empty() ? "none: the file names no core table"
                                         : fmt::format("{} ({})", table,
                                                       active ? "active"
                                                              : "inactive, encoded by "
                                                                "explicit prefix");
  if (!forced.empty()) table_line += ", " + forced;
  const std::string note = version_note(f, version);

  if (json) {
    nlohmann::ordered_json j = {
        {"uarch", f.uarch},       {"path", f.path},   {"libpfm4", version},    {"table", table},
        {"table_active", active}, {"forced", forced}, {"recorded", f.checked}, {"note", note}};
    j["entries"] = nlohmann::ordered_json::array();
    for (const auto& e : c.entries)
      j["entries"].push_back(
          {{"metric", e.metric}, {"verdict", to_string(e.verdict)}, {"detail", e.detail}});
    j["summary"] = c.summary();
    j["exit"] = c.exit_code();
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print("uarch       {}\n", f.uarch);
    fmt::print("file        {}\n", f.path);
    fmt::print("libpfm4     {}\n", version);
    fmt::print("table       {}\n", table_line);
    fmt::print("recorded    {}\n", f.checked.empty() ? "(none)" : f.checked);
    if (!note.empty()) fmt::print("note        {}\n", note);
    for (const auto& e : c.entries)
      fmt::print("{:<18} {:<13} {}\n", e.metric, to_string(e.verdict), e.detail);
    fmt::print("result      {}\n", c.summary());
  }
  if (std::fflush(stdout) != 0) return 1;
  return c.exit_code();
}

}  // namespace zs::cli
