#include "cli/replicates_cmd.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "cli/run_reporter.h"
#include "results/results_dir.h"
#include "sweep/replicates.h"
#include "sweep/run_meta.h"

extern char** environ;

namespace zs::cli {

namespace {

volatile sig_atomic_t g_stop = 0;
volatile sig_atomic_t g_child = 0;
constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};

void on_signal(int sig) {
  g_stop = sig;
  if (g_child > 0) kill(pid_t(g_child), sig);
}

// An inherited SIG_IGN (nohup) is left in place, and the child inherits it.
void install_handlers() {
  for (int sig : kSignals) {
    struct sigaction old {};
    sigaction(sig, nullptr, &old);
    if (old.sa_handler == SIG_IGN) continue;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);
  }
}

class SpawnLauncher : public ReplicateLauncher {
 public:
  int run(const std::vector<std::string>& args) override {
    std::vector<std::string> argv = {"zeroscope"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargs;
    for (auto& a : argv) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    std::fflush(stdout);
    std::fflush(stderr);
    // The signals are held until the child's pid is known, so none is
    // lost between the spawn and the handler knowing whom to pass it on to.
    sigset_t block, old;
    sigemptyset(&block);
    for (int sig : kSignals) sigaddset(&block, sig);
    sigprocmask(SIG_BLOCK, &block, &old);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &old);
    pid_t pid = 0;
    const int err = posix_spawn(&pid, "/proc/self/exe", nullptr, &attr, cargs.data(), environ);
    posix_spawnattr_destroy(&attr);
    if (err == 0) g_child = pid;
    sigprocmask(SIG_SETMASK, &old, nullptr);
    if (err != 0) {
      fmt::print(stderr, "zeroscope run: cannot start a replicate: {}\n", std::strerror(err));
      return kExitWriteFailed;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    g_child = 0;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
  }
  bool stop_requested() override { return g_stop != 0; }
  void starting(const ReplicateRun& r, std::size_t count, bool resumed) override {
    fmt::print(stderr, "zeroscope run: {} replicate {} of {} (order seed {}) in {}\n",
               resumed ? "resuming" : "starting", r.number, count, r.seed, r.dir);
  }
  void ended(const ReplicateRun& r) override {
    fmt::print(stderr, "zeroscope run: replicate {}: {} (exit {})\n", r.number, r.status,
               r.exit_code.value_or(0));
  }
};

}  // namespace

int run_replicates_cmd(const ReplicatesArgs& a) {
  SweepRunOptions opt = a.opt;
  std::string dir;
  ReplicatesMeta meta;
  std::optional<DirectoryLock> lock;
  if (opt.resume_dir) {
    dir = *opt.resume_dir;
    lock.emplace(dir);
    meta = resumable_replicates(dir);
  } else {
    const SweepPlan plan = plan_sweep(opt);  // the config, checked before anything is written
    if (a.dry_run) {
      print_dry_run(plan, opt.enable_shmem_thp);
      fmt::print("# x {} replicates, each a fresh process: estimated {:.0f} s in all\n", a.count,
                 plan.estimate_seconds() * a.count);
      return 0;
    }
    const std::string label = !opt.label.empty() ? opt.label : plan.config.settings.label;
    dir = opt.out_dir ? *opt.out_dir : "results/" + results_dir_name(label);
    meta = plan_replicates(a.count, plan.config.settings.seed, config_fingerprint(plan.config.text),
                           label,
                           {{"reserve_hugetlb", opt.reserve_hugetlb},
                            {"enable_mthp", opt.enable_mthp},
                            {"enable_shmem_thp", opt.enable_shmem_thp},
                            {"label", opt.label}});
    if (opt.cpu) meta.run_options["cpu"] = *opt.cpu;
    record_run_overrides(opt.overrides, meta.run_options);
    start_replicates(dir, plan.config.text, meta);
    lock.emplace(dir);
    meta = read_replicates_meta(dir);
  }
  ReplicatesRun how;
  how.dir = dir;
  const std::string label = meta.run_options.value("label", "");
  if (!label.empty()) how.pass_args.insert(how.pass_args.end(), {"--label", label});
  if (meta.run_options.value("reserve_hugetlb", false))
    how.pass_args.push_back("--reserve-hugetlb");
  if (meta.run_options.value("enable_mthp", false)) how.pass_args.push_back("--enable-mthp");
  if (meta.run_options.value("enable_shmem_thp", false))
    how.pass_args.push_back("--enable-shmem-thp");
  if (meta.run_options.contains("cpu") && meta.run_options.at("cpu").is_number_integer())
    how.pass_args.insert(how.pass_args.end(),
                         {"--cpu", std::to_string(meta.run_options.at("cpu").get<int>())});
  const RunOverrides over = recorded_run_overrides(meta.run_options);
  if (over.repetitions)
    how.pass_args.insert(how.pass_args.end(), {"--repetitions", std::to_string(*over.repetitions)});
  if (over.pool) how.pass_args.insert(how.pass_args.end(), {"--pool", std::to_string(*over.pool)});
  if (a.wait) {
    how.pass_args.push_back("--wait");
    how.resume_args.push_back("--wait");
  }
  fmt::print(stderr, "zeroscope run: {} replicates into {}\n", meta.runs.size(), dir);
  install_handlers();
  SpawnLauncher launcher;
  const ReplicatesOutcome out = zs::run_replicates(how, meta, launcher);
  std::size_t complete = 0;
  for (const ReplicateRun& r : meta.runs) complete += r.status == "complete";
  fmt::print("results: {} ({} of {} replicates complete)\n", dir, complete, meta.runs.size());
  if (out.status == "complete") return 0;
  fmt::print(stderr,
             "zeroscope run: replicates {} at rep-{} ({} of {} complete); complete them with: "
             "zeroscope run --resume {}\n",
             out.status, out.stopped_at.value_or(0), complete, meta.runs.size(), dir);
  if (out.exit_code != 0) return out.exit_code;
  return out.status == "interrupted" ? kExitInterrupted : kExitTimeBudget;
}

}  // namespace zs::cli
