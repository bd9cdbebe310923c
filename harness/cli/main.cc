// zeroscope: thin front end. Parses arguments with CLI11, runs one
// subcommand, and maps errors to exit codes: 0 success, 1 a failure while
// running, 2 bad usage (one line on stderr naming the cause and the fix).
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "cli/error_text.h"
#include "cli/usage.h"
#include "cli/validators.h"
#include "common/build_info.h"
#include "common/errors.h"
#include "common/parse.h"
#include "memory/settings_recovery.h"

int main(int argc, char** argv) {
  CLI::App app{"zeroscope: cache behaviour of huge-page zeroing, measured", "zeroscope"};
  app.require_subcommand(1);
  app.set_version_flag(
      "--version", fmt::format("zeroscope {} ({})", zs::build_version(), zs::build_git_commit()));

  zs::cli::Runner runners[] = {
      zs::cli::add_run(app),        zs::cli::add_report(app),     zs::cli::add_compare(app),
      zs::cli::add_measure(app),    zs::cli::add_mmap_bench(app), zs::cli::add_primitives(app),
      zs::cli::add_strategies(app), zs::cli::add_trace(app),      zs::cli::add_events(app),
      zs::cli::add_validate(app),   zs::cli::add_info(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return app.exit(CLI::CallForHelp());
  } catch (const CLI::CallForAllHelp&) {
    return app.exit(CLI::CallForAllHelp());
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (app.get_subcommands().empty() && !dynamic_cast<const CLI::ValidationError*>(&e)) {
      fmt::print(stderr, "zeroscope: {}\n", zs::cli::subcommand_problem(app, argc, argv, e.what()));
      return zs::cli::kExitUsage;
    }
    std::string where = app.get_subcommands().empty()
                            ? "zeroscope"
                            : "zeroscope " + app.get_subcommands()[0]->get_name();
    // A value refused by a check (cli/validators.h) already reads
    // "--flag: what is wrong; allowed: ..."; other parse errors (an unknown
    // flag, a missing value) point to the help.
    if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr)
      fmt::print(stderr, "{}: {}\n", where, zs::printable(e.what()));
    else
      fmt::print(stderr, "{}: {}; allowed: the flags listed by '{} --help'\n", where,
                 zs::printable(e.what()), where);
    return zs::cli::kExitUsage;
  }
  const std::string cmd = app.get_subcommands()[0]->get_name();
  // What the settings code noted on the way (a setting not restored, a
  // leftover recovered), printed before the command's error line, if any.
  auto print_notices = [&cmd] {
    for (const std::string& line : zs::take_settings_notices())
      fmt::print(stderr, "zeroscope {}: {}\n", cmd, line);
  };
  try {
    // Every command first restores what a dead run left changed, one line a
    // setting; a live run's settings are never touched (memory/settings_lock.h).
    for (const std::string& line : zs::recover_leftover_settings())
      fmt::print(stderr, "zeroscope {}: {}\n", cmd, line);
    for (auto& run : runners)
      if (run) {
        int rc = run();
        if (rc >= 0) {
          print_notices();
          return rc;
        }
      }
  } catch (const zs::SetupError& e) {
    print_notices();
    fmt::print(stderr, "zeroscope {}: {}\n", cmd, zs::printable(zs::cli::error_text(e)));
    return zs::cli::kExitUsage;
  } catch (const zs::cli::UsageError& e) {
    print_notices();
    fmt::print(stderr, "zeroscope {}: {}\n", cmd, zs::printable(e.what()));
    return zs::cli::kExitUsage;
  } catch (const std::exception& e) {
    print_notices();
    fmt::print(stderr, "zeroscope {}: {}\n", cmd, e.what());
    return 1;
  }
  print_notices();
  return 1;
}
