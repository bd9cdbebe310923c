// The warm-up mmap-bench uses when the flag does not say. perf has none;
// on a guest whose freed memory goes back to the host (virtio-balloon free
// page reporting), the first loop after a pause faults memory back in from
// the host and can be 10-20x slower than the next, a number someone will
// quote. So where the machine shows a hypervisor or active free page
// reporting, one untimed loop runs first, and the header says why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace zs {

struct VmSigns {
  std::optional<bool> hypervisor;  // nullopt: could not tell
  std::string hypervisor_vendor;   // "" when unknown
  bool free_page_reporting = false;
  std::optional<unsigned> reporting_order;  // blocks of 2^order pages are reported
};

// From CPUID's hypervisor bit and the kernel's free page reporting
// (machine/kernel_facts.h).
VmSigns read_vm_signs();

struct WarmupChoice {
  std::uint64_t loops = 0;
  // A header line (without "# "): why the default is not perf's 0, or what
  // a given 0 risks on this machine; "" when there is nothing to say.
  std::string why;
};

// `given`: the flag's value when it was given. Given, it is kept; a 0 on a
// machine with VM signs gets a `why` that warns.
WarmupChoice choose_warmup(const VmSigns& vm, std::optional<std::uint64_t> given);

}  // namespace zs
