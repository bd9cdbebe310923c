#include "report/plot_runner.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

extern char** environ;

namespace zs {

ProgramExit run_program(const std::vector<std::string>& argv) {
  if (argv.empty()) return {127, "no program given"};
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  // A path that cannot be executed is named here: where the spawn does not
  // report the exec failure (posix_spawn under qemu-user, whose vfork is a
  // fork), the child would only exit 127.
  if (argv[0].find('/') != std::string::npos && ::access(argv[0].c_str(), X_OK) != 0)
    return {127, fmt::format("cannot run {}: {}", argv[0], std::strerror(errno))};
  pid_t pid = 0;
  if (int err = ::posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ))
    return {127, fmt::format("cannot run {}: {}", argv[0], std::strerror(err))};
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return {127, fmt::format("waiting for {}: {}", argv[0], std::strerror(errno))};
  if (WIFEXITED(status)) return {WEXITSTATUS(status), ""};
  if (WIFSIGNALED(status)) return {128 + WTERMSIG(status), strsignal(WTERMSIG(status))};
  return {127, "ended neither by exit nor by a signal"};
}

}  // namespace zs
