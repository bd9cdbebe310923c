#include "measure/shootdown.h"

#include <pthread.h>
#include <sched.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"

namespace zs {

std::vector<int> affinity_cpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  return cpus;
}

ShootdownCpu shootdown_cpu(const std::vector<int>& allowed, int self) {
  for (int c : allowed)
    if (c != self) return {c, ""};
  return {-1, fmt::format(
                  "shootdown: only CPU {} is allowed to this process ({}), and a "
                  "shootdown needs a sibling thread on a second CPU; allow another CPU "
                  "(taskset, cgroup cpuset) or leave shootdown off",
                  self,
                  allowed.empty() ? "none readable" : fmt::format("{}", fmt::join(allowed, ",")))};
}

int sibling_cpu(const std::vector<int>& allowed, int self) {
  ShootdownCpu c = shootdown_cpu(allowed, self);
  if (c.cpu < 0) throw SetupError(c.why);
  return c.cpu;
}

ShootdownSibling::ShootdownSibling(int cpu) {
  thread_ = std::thread([this, cpu] {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0) {
      state_.store(-1);
      return;
    }
    state_.store(1);
    // Spins in user space: the CPU keeps this address space loaded, so the
    // kernel must interrupt it at every flush of the process's entries.
    while (state_.load(std::memory_order_relaxed) == 1) {
    }
  });
  int s = 0;
  while ((s = state_.load()) == 0) std::this_thread::yield();
  if (s < 0) {
    thread_.join();
    throw SetupError(fmt::format("shootdown: cannot pin the sibling thread to CPU {}", cpu));
  }
}

ShootdownSibling::~ShootdownSibling() {
  int running = 1;
  state_.compare_exchange_strong(running, 2);
  if (thread_.joinable()) thread_.join();
}

}  // namespace zs
