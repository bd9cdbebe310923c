// Pins "this kernel's" zeroing table (machine/kernel_path.h) for a test, so
// that what strategy = "kernel" resolves to does not depend on the machine
// the tests run on; the machine's own table is back afterwards.
#pragma once

#include <string>

#include "machine/kernel_path.h"

namespace zs::test {

// The development VM's inputs: 6.18, preemption none, init_on_alloc off,
// MAX_PAGE_ORDER 10, x86_64; THP 2 MiB, mTHP 64 KiB, hugetlb 2 MiB and 1 GiB.
inline KernelPathInputs dev_vm_kernel(std::string release = "6.18.44-fc-v669") {
  KernelPathInputs in;
  in.release = std::move(release);
  in.arch = "x86_64";
  in.preemption = "none";
  in.preemption_source = "/proc/config.gz CONFIG_PREEMPT_NONE=y";
  in.init_on_alloc = false;
  in.init_on_alloc_source = "default: CONFIG_INIT_ON_ALLOC_DEFAULT_ON not set in /proc/config.gz";
  in.max_page_order = 10;
  in.max_page_order_source = "/proc/buddyinfo (11 order columns)";
  in.caches_alias = false;
  in.caches_alias_source = "architecture x86_64: caches do not alias";
  in.thp_pmd_bytes = 2ull << 20;
  in.mthp_sizes = {64ull << 10, 2ull << 20};
  in.hugetlb_sizes = {2ull << 20, 1ull << 30};
  return in;
}

class KernelTableForTest {
 public:
  explicit KernelTableForTest(const KernelPathInputs& in = dev_vm_kernel()) {
    set_this_kernel_zeroing_for_test(kernel_zeroing(in));
  }
  ~KernelTableForTest() { set_this_kernel_zeroing_for_test(std::nullopt); }
  KernelTableForTest(const KernelTableForTest&) = delete;
  KernelTableForTest& operator=(const KernelTableForTest&) = delete;
};

}  // namespace zs::test
