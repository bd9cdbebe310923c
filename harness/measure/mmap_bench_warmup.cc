#include "measure/mmap_bench_warmup.h"

#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "machine/kernel_facts.h"
#include "platform/platform.h"

namespace zs {

VmSigns read_vm_signs() {
  VmSigns v;
  const platform::Hypervisor hv = platform::hypervisor();
  v.hypervisor = hv.present;
  v.hypervisor_vendor = hv.vendor.value_or("");
  const FreePageReporting fpr = read_kernel_facts().free_page_reporting;
  v.free_page_reporting = fpr.active;
  v.reporting_order = fpr.order;
  return v;
}

namespace {
std::vector<std::string> signs(const VmSigns& vm) {
  std::vector<std::string> s;
  if (vm.hypervisor.value_or(false))
    s.push_back(vm.hypervisor_vendor.empty()
                    ? std::string("a hypervisor")
                    : fmt::format("a hypervisor ('{}')", vm.hypervisor_vendor));
  if (vm.free_page_reporting)
    s.push_back(vm.reporting_order
                    ? fmt::format("free page reporting (blocks of order {})", *vm.reporting_order)
                    : std::string("free page reporting"));
  return s;
}
}  // namespace

WarmupChoice choose_warmup(const VmSigns& vm, std::optional<std::uint64_t> given) {
  const std::vector<std::string> s = signs(vm);
  const std::string effect =
      "memory left free can be handed back to the host, and the first loop after a pause then "
      "pays host faults";
  if (given) {
    if (*given > 0 || s.empty()) return {*given, ""};
    return {0, fmt::format("WARNING: no warm-up on a machine with {}: {}; the first loop may be "
                           "many times slower than the rest",
                           fmt::join(s, " and "), effect)};
  }
  if (s.empty()) return {0, ""};
  return {1, fmt::format("warm-up: 1 untimed loop first, the default on a machine with {}: {} "
                         "(perf runs none: give 0 for perf's behaviour)",
                         fmt::join(s, " and "), effect)};
}

}  // namespace zs
