// The kernel's hugetlb pools (/sys/kernel/mm/hugepages/hugepages-<kB>kB):
// which page sizes exist, how many pages are free, and making sure a run has
// the pages it needs before it measures anything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memory/setting_guard.h"

namespace zs {

struct HugetlbPool {
  std::uint64_t page_bytes = 0;
  std::string dir;  // /sys/kernel/mm/hugepages/hugepages-2048kB
  std::uint64_t nr = 0, free = 0, resv = 0, surplus = 0;
  // Pages a new mapping can still fault in: free minus reserved.
  std::uint64_t available() const { return free > resv ? free - resv : 0; }
};

// Every pool the kernel offers, smallest page first.
std::vector<HugetlbPool> hugetlb_pools();
std::optional<HugetlbPool> hugetlb_pool(std::uint64_t page_bytes);

// Pages reserved for this run: owns the pool's nr_hugepages (when asked to
// reserve) and holds its change (if any), restored when destroyed.
class HugetlbReservation {
 public:
  HugetlbReservation() = default;
  explicit HugetlbReservation(SettingLock lock) : lock_(std::move(lock)) {}
  HugetlbReservation(SettingLock lock, SettingGuard guard)
      : lock_(std::move(lock)), guard_(std::move(guard)), raised_(true) {}
  bool raised() const { return raised_; }

 private:
  std::optional<SettingLock> lock_;  // before guard_: released after it restores
  std::optional<SettingGuard> guard_;
  bool raised_ = false;
};

// Makes sure `needed` pages of `page_bytes` can be faulted in by this run.
// With `reserve`, the pool's nr_hugepages is owned (settings_lock.h) for as
// long as the reservation lives, whether or not it is raised: a second run
// reserving the same pool is refused naming this one, or waits, and never
// mistakes this run's raised count for the original.
// When the pool has them: nothing changes. When short and `reserve` (root):
// raises nr_hugepages by the shortfall through a SettingGuard; if the kernel
// then still has too few (fragmented memory), restores and throws. When short
// without `reserve`, throws SetupError, one line, e.g.:
//   "hugetlb 2 MiB pool: the run needs 64 pages, 0 are free; reserve them with
//    'echo 64 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages' as
//    root, or rerun with `reserve_hugetlb` as root" (rendered by the CLI as
//    --reserve-hugetlb)
// An unknown page size throws naming the sizes the kernel offers.
HugetlbReservation ensure_hugetlb_pages(std::uint64_t page_bytes, std::uint64_t needed,
                                        bool reserve);

}  // namespace zs
