// The `shootdown` setting: a sibling thread of the process spinning on
// another CPU while an alias-zeroed sample runs, so the process's address
// space is live on two CPUs and every munmap of the alias must invalidate
// the other CPU's TLB too (a shootdown: an IPI and the wait for it), as in
// the kernel when the temporary entries may be cached elsewhere.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace zs {

// The CPUs the calling thread may run on (sched_getaffinity), ascending.
std::vector<int> affinity_cpus();

// The CPU for the sibling: the first of `allowed` that is not `self`; or
// the one-line refusal (cause and fix) when there is none.
struct ShootdownCpu {
  int cpu = -1;
  std::string why;  // set when cpu < 0
};
ShootdownCpu shootdown_cpu(const std::vector<int>& allowed, int self);
// The same, throwing the refusal as a SetupError about the shootdown option.
int sibling_cpu(const std::vector<int>& allowed, int self);

// The sibling, owned: started pinned to `cpu`, spinning until destroyed
// (the constructor returns once it runs there). Throws SetupError when it
// cannot be pinned.
class ShootdownSibling {
 public:
  explicit ShootdownSibling(int cpu);
  ~ShootdownSibling();
  ShootdownSibling(const ShootdownSibling&) = delete;
  ShootdownSibling& operator=(const ShootdownSibling&) = delete;

 private:
  std::atomic<int> state_{0};  // 0 starting, 1 running, 2 stop, -1 not pinned
  std::thread thread_;
};

}  // namespace zs
