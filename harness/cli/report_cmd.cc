// zeroscope report / compare: tables (and plots) from results directories.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/error_text.h"
#include "cli/fleet_cmd.h"
#include "cli/usage.h"
#include "common/data_dir.h"
#include "common/errors.h"
#include "report/compare.h"
#include "report/plot_runner.h"
#include "report/report.h"
#include "report/report_runs.h"
#include "results/replicates_meta.h"
#include "results/results_runs.h"

namespace zs::cli {

namespace {

std::string command_line(const std::string& sub, const std::vector<std::string>& args) {
  return args.empty() ? "zeroscope " + sub
                      : fmt::format("zeroscope {} {}", sub, fmt::join(args, " "));
}

void check_format(const std::string& f) {
  if (f != "text" && f != "markdown" && f != "csv" && f != "json")
    throw UsageError(fmt::format("--format: unknown '{}'; allowed: text, markdown, csv, json", f));
}

// The plots are matplotlib scripts run by the distribution's python (the
// first python3 on PATH may be another interpreter without matplotlib),
// spawned with their arguments as given: no shell, no quoting.
int run_plots(const std::string& script, const std::vector<std::string>& args) {
  std::string dir =
      std::getenv("ZS_PLOTS_DIR") ? std::getenv("ZS_PLOTS_DIR") : data_dir(DataDir::plots);
  std::string py = std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  std::vector<std::string> argv = {py, dir + "/" + script};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProgramExit run = run_program(argv);  // posix_spawn: no shell, no quoting
  if (run.code != 0)
    fmt::print(stderr, "zeroscope: plots failed ({}{}); the tables above are complete\n",
               fmt::join(argv, " "), run.error.empty() ? "" : ": " + run.error);
  return run.code == 0 ? 0 : 1;
}

constexpr const char* kLenientHelp =
    "leave damaged rows of samples.csv (duplicated, malformed, of incomplete samples) out, "
    "counted in the output, instead of refusing the directory";

struct ReportArgs {
  std::string dir, baseline, metric = "ns", format = "text", by;
  bool plots = false, lenient = false;
};

// Notes of rows left out reach a csv reader's terminal, not its table.
void print_notes_for_csv(const std::string& format, const std::vector<std::string>& notes) {
  if (format == "csv")
    for (const std::string& note : notes) fmt::print(stderr, "zeroscope: {}\n", note);
}

int run_report(const ReportArgs& a) {
  check_format(a.format);
  if (a.plots && is_replicates_parent(a.dir))
    throw UsageError(
        fmt::format("--plots: {} holds replicates; draw the plots of one of them (e.g. {}/rep-1)",
                    a.dir, a.dir));
  // One run, or a replicates parent's runs (results/results_runs.h).
  const std::vector<ResultsData> runs = load_runs(a.dir, a.lenient);
  for (const ResultsData& d : runs) print_notes_for_csv(a.format, d.notes);
  ReportOptions opt;
  opt.baseline = a.baseline;
  opt.metric = a.metric;
  opt.lenient = a.lenient;
  opt.format = a.format;
  std::vector<std::string> args = {a.dir};
  if (!a.baseline.empty()) args.insert(args.end(), {"--baseline", a.baseline});
  if (a.metric != "ns") args.insert(args.end(), {"--metric", a.metric});
  if (a.lenient) args.push_back("--lenient");
  opt.command = command_line("report", args);
  Report r = build_runs_report(runs, a.dir, opt);
  if (a.format == "text") fmt::print("{}", render_report_text(r));
  if (a.format == "markdown") fmt::print("{}", render_report_markdown(r));
  if (a.format == "csv") fmt::print("{}", render_report_csv(r));
  if (a.format == "json") fmt::print("{}\n", render_report_json(r).dump(2));
  if (!a.plots) return 0;
  std::vector<std::string> pargs = {a.dir};
  if (a.lenient) pargs.push_back("--lenient");
  // The paths the scripts print come after every table, under a heading.
  if (a.format == "text" || a.format == "markdown") fmt::print("\nplots:\n");
  std::fflush(stdout);
  return run_plots("all.py", pargs);
}

struct CompareArgs {
  std::vector<std::string> dirs;
  std::string by = "label", format = "text";
  std::vector<std::string> ignore;  // --ignore, repeated or comma-separated
  bool plots = false, lenient = false;
};

// A directory given twice (as x and ./x, or through a symbolic link) would
// be compared with itself: every point "no significant change".
void refuse_same_directory(const std::vector<std::string>& given) {
  std::map<std::string, std::string> seen;  // canonical path -> as given
  for (const std::string& d : given) {
    std::error_code ec;
    const std::string canon = std::filesystem::canonical(d, ec).string();
    if (ec) continue;  // missing: load_results says so
    auto [it, fresh] = seen.emplace(canon, d);
    if (!fresh)
      throw UsageError(fmt::format(
          "'{}' and '{}' are the same results directory ({}); compare two different runs",
          it->second, d, canon));
  }
}

int run_compare(const CompareArgs& a) {
  check_format(a.format);
  if (a.dirs.size() < 2)
    throw UsageError("DIR_A DIR_B: at least two results directories are needed");
  // Each argument is a side: one directory, or replicate runs joined by ','.
  std::vector<std::vector<std::string>> sides;
  std::vector<std::string> all;
  for (const auto& arg : a.dirs) {
    sides.emplace_back();
    std::stringstream ss(arg);
    for (std::string d; std::getline(ss, d, ',');)
      if (!d.empty()) sides.back().push_back(d);
    if (sides.back().empty())
      throw UsageError(fmt::format("'{}': no results directory given", arg));
    all.insert(all.end(), sides.back().begin(), sides.back().end());
  }
  refuse_same_directory(all);
  std::vector<std::vector<ResultsData>> data;
  for (const auto& side : sides) {
    data.emplace_back();
    for (const auto& d : side)
      for (ResultsData& run : load_runs(d, a.lenient)) {  // a replicates parent: its runs
        print_notes_for_csv(a.format, run.notes);
        data.back().push_back(std::move(run));
      }
  }
  // A replicates parent on one side and one of its runs on another.
  std::vector<std::string> runs;
  for (const auto& side : data)
    for (const ResultsData& d : side) runs.push_back(d.dir);
  refuse_same_directory(runs);
  CompareOptions opt;
  opt.by = a.by;
  for (const std::string& axis : a.ignore)
    if (!axis.empty()) opt.ignore.push_back(axis);
  std::vector<std::string> args = a.dirs;
  if (a.by != "label") args.insert(args.end(), {"--by", a.by});
  if (!opt.ignore.empty())
    args.insert(args.end(), {"--ignore", fmt::format("{}", fmt::join(opt.ignore, ","))});
  if (a.lenient) args.push_back("--lenient");
  opt.command = command_line("compare", args);
  Comparison c = build_comparison(data, opt);
  c.verdict_why = error_text(SetupError(c.verdict_why));  // its option as a flag
  print_notes_for_csv(a.format, c.verdict_why.empty() ? std::vector<std::string>()
                                                      : std::vector<std::string>{c.verdict_why});
  if (a.format == "text") fmt::print("{}", render_comparison_text(c));
  if (a.format == "markdown") fmt::print("{}", render_comparison_markdown(c));
  if (a.format == "csv") fmt::print("{}", render_comparison_csv(c));
  if (a.format == "json") fmt::print("{}\n", render_comparison_json(c).dump(2));
  if (!a.plots) return 0;
  std::vector<std::string> pargs;
  for (const auto& side : data) pargs.push_back(side.front().dir);
  pargs.insert(pargs.end(), {"--out", a.dirs.front()});
  if (a.lenient) pargs.push_back("--lenient");
  return run_plots("compare_machines.py", pargs);
}

}  // namespace

Runner add_report(CLI::App& app) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* sub =
      app.add_subcommand("report", "Tables of a results directory, ready for a cover letter");
  sub->add_option("dir", a->dir, "results directory")->required();
  sub->add_option("--baseline", a->baseline,
                  "strategy the others are compared with (default upstream, else sequential; "
                  "a table with kernel-fault: the replica of the kernel's path)");
  sub->add_option("--metric", a->metric,
                  "what the change compares: ns (default) or a counter column");
  sub->add_option("--format", a->format, "text (default, 80 columns) | markdown | csv | json");
  sub->add_flag("--plots", a->plots, "also write the plots (PNG and SVG) into DIR/plots");
  sub->add_flag("--lenient", a->lenient, kLenientHelp);
  sub->add_option("--by", a->by, "host: DIR is a fleet directory, its hosts side by side");
  return [sub, a]() {
    if (!sub->parsed()) return -1;
    if (!fleet_report_wanted(a->dir, a->by)) return run_report(*a);
    return run_fleet_report(
        {a->dir, a->by, a->baseline, a->format, a->metric, a->plots, a->lenient}, run_plots);
  };
}

Runner add_compare(CLI::App& app) {
  auto a = std::make_shared<CompareArgs>();
  CLI::App* sub =
      app.add_subcommand("compare", "Compare the same points across results directories");
  sub->add_option("dirs", a->dirs,
                  "DIR_A DIR_B [DIR...]: each later side against the first; a side may list "
                  "replicate runs, DIR1,DIR2; with --by host, a fleet directory is its "
                  "completed hosts, a side each")
      ->required();
  sub->add_option("--by", a->by,
                  "what differs between the directories: label (default) | host | kernel");
  sub->add_option(
         "--ignore", a->ignore,
         "axes not matched: --ignore strategy compares a run of one strategy with "
         "another (a kernel-fault run with the replica's), --ignore memory a host-reported "
         "run with a recycled one; repeat it or separate axes "
         "by commas: --ignore strategy --ignore primitive, or --ignore "
         "strategy,primitive")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--format", a->format, "text (default, 80 columns) | markdown | csv | json");
  sub->add_flag("--plots", a->plots, "also write the per-machine comparison plot into DIR_A/plots");
  sub->add_flag("--lenient", a->lenient, kLenientHelp);
  return [sub, a]() {
    if (sub->parsed()) a->dirs = expand_fleet_sides(a->dirs, a->by, a->lenient);
    return sub->parsed() ? run_compare(*a) : -1;
  };
}

}  // namespace zs::cli
