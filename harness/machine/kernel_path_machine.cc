// This machine's inputs to the kernel-path table (kernel_path.h): its facts
// (kernel_facts.h) and the folio sizes it can fault.
#include <unistd.h>

#include <mutex>

#include "machine/kernel_facts.h"
#include "machine/kernel_path.h"
#include "memory/hugetlb_pool.h"
#include "memory/thp_settings.h"

namespace zs {

KernelPathInputs kernel_path_inputs(const KernelFacts& f) {
  KernelPathInputs in;
  in.release = f.release;
  in.arch = f.machine;
  in.preemption = f.preemption.model;
  in.preemption_source = f.preemption.model ? f.preemption.source : f.preemption.why;
  in.init_on_alloc = f.init_on_alloc.value;
  in.init_on_alloc_source = f.init_on_alloc.source;
  in.max_page_order = f.max_page_order.order;
  in.max_page_order_source = f.max_page_order.source;
  in.caches_alias = f.caches_alias.value;
  in.caches_alias_source = f.caches_alias.source;
  const long page = ::sysconf(_SC_PAGESIZE);
  in.page_size = page > 0 ? static_cast<std::uint64_t>(page) : 4096;
  in.thp_pmd_bytes = thp_pmd_bytes();
  for (const ThpSize& s : thp_sizes()) in.mthp_sizes.push_back(s.bytes);
  for (const HugetlbPool& p : hugetlb_pools()) in.hugetlb_sizes.push_back(p.page_bytes);
  return in;
}

namespace {
std::mutex g_mutex;
std::optional<std::vector<KernelZeroing>> g_table;
}  // namespace

const std::vector<KernelZeroing>& this_kernel_zeroing() {
  std::lock_guard lock(g_mutex);
  if (!g_table) g_table = kernel_zeroing(kernel_path_inputs(read_kernel_facts()));
  return *g_table;
}

void set_this_kernel_zeroing_for_test(std::optional<std::vector<KernelZeroing>> table) {
  std::lock_guard lock(g_mutex);
  g_table = std::move(table);
}

}  // namespace zs
