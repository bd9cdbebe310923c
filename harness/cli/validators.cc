#include "cli/validators.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/parse.h"
#include "common/suggest.h"

namespace zs::cli {

CLI::Validator within(const Limit& l) {
  return CLI::Validator(
      [l](std::string& value) -> std::string {
        auto v = parse_u64(value);
        if (!v)
          return fmt::format("'{}' is not a number; allowed: {}", printable(value), allowed(l));
        if (auto why = out_of_range(l, *v)) return *why;
        value = std::to_string(*v);
        return {};
      },
      fmt::format("[{}, {}]", l.min, l.max));
}

CLI::Validator one_of(std::function<std::vector<std::string>()> choices, std::string what) {
  return CLI::Validator(
      [choices = std::move(choices), what = std::move(what)](std::string& value) -> std::string {
        std::vector<std::string> names;
        try {
          names = choices();
        } catch (const SetupError& e) {
          return e.what();
        }
        if (std::find(names.begin(), names.end(), value) != names.end()) return {};
        return fmt::format("unknown '{}'; {}: {}", printable(value), what, fmt::join(names, ", "));
      },
      "NAME");
}

CLI::Validator one_of(std::vector<std::string> choices) {
  return one_of([choices = std::move(choices)] { return choices; });
}

CLI::Validator byte_size(std::string example) {
  return CLI::Validator(
      [example = std::move(example)](std::string& value) -> std::string {
        auto v = parse_size(value);
        if (v && *v != 0) return {};
        return fmt::format("'{}' is not a size; allowed: e.g. {}", printable(value), example);
      },
      "SIZE");
}

CLI::Validator label() {
  return CLI::Validator(
      [](std::string& value) -> std::string { return label_problem(value).value_or(""); }, "LABEL");
}

void check_output_path(const std::string& path, bool is_dir, Option about) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p(path);
  const std::string shown = printable(path);
  if (!is_dir && fs::is_directory(p, ec))
    throw SetupError(about, fmt::format("{} is a directory; give a file name, e.g. {}/samples.csv",
                                        shown, shown));
  fs::path parent = p.parent_path();
  if (parent.empty()) parent = ".";
  if (!fs::is_directory(parent, ec)) {
    // A results directory's missing parents are created; a file's are not.
    if (!is_dir)
      throw SetupError(about, fmt::format("{}: the directory {} does not exist; create it first "
                                          "or choose another place",
                                          shown, printable(parent.string())));
    while (!parent.empty() && parent != parent.root_path() && !fs::exists(parent, ec))
      parent = parent.parent_path();
    if (parent.empty()) parent = ".";
    if (!fs::is_directory(parent, ec))
      throw SetupError(about, fmt::format("{}: {} is not a directory; choose another place", shown,
                                          printable(parent.string())));
  }
  // A probe directory made and removed, not access(2): root passes that
  // on a directory it cannot write (a read-only mount, /proc).
  const fs::path probe = parent / fmt::format(".zeroscope-probe-{}", ::getpid());
  if (::mkdir(probe.c_str(), 0700) != 0)
    throw SetupError(about, fmt::format("{}: the directory {} cannot be written: {}; choose "
                                        "another place",
                                        shown, printable(parent.string()), std::strerror(errno)));
  ::rmdir(probe.c_str());
}

std::string subcommand_problem(const CLI::App& app, int argc, const char* const* argv,
                               std::string_view error) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  const std::string list =
      fmt::format("allowed: {} (see 'zeroscope --help')", fmt::join(names, ", "));
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.empty() || arg[0] == '-') continue;
    if (std::find(names.begin(), names.end(), arg) != names.end()) break;
    auto near = typo_of(arg, names);
    return near ? fmt::format("unknown subcommand '{}'; did you mean '{}'? {}", printable(arg),
                              *near, list)
                : fmt::format("unknown subcommand '{}'; {}", printable(arg), list);
  }
  if (argc > 1) return fmt::format("{}; {}", printable(error), list);
  return fmt::format("a subcommand is required; {}", list);
}

}  // namespace zs::cli
