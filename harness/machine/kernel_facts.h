// What decides how this kernel zeroes a huge folio, besides its release and
// preemption model (preempt_model.h): whether the page allocator zeroes it
// first (init_on_alloc), the largest buddy order (MAX_PAGE_ORDER), whether
// the host discards free memory (free page reporting), and whether caches
// alias. Pure functions over the texts of /proc and /sys, each answer with
// its source; read_kernel_facts() reads this machine. Why each matters:
// docs/kernel-zeroing.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "machine/preempt_model.h"

namespace zs {

struct BoolFact {
  std::optional<bool> value;  // nullopt: unknown, `source` says why
  std::string source;
};

// init_on_alloc / init_on_free: the boot argument (`init_on_alloc=0|1`,
// the last one wins), else the build default (CONFIG_INIT_ON_ALLOC_DEFAULT_ON:
// =y true, "is not set" or absent false), else unknown.
BoolFact init_flag(std::string_view cmdline, std::string_view arg, std::string_view config_option,
                   const std::optional<std::string>& config, const std::string& config_source);

struct OrderFact {
  std::optional<unsigned> order;  // nullopt: unknown, `source` says why
  std::string source;
};

// The highest buddy order: from /proc/buddyinfo (one column per order), else
// /proc/pagetypeinfo's "at order" header, else CONFIG_ARCH_FORCE_MAX_ORDER,
// else the kernel's default of 10 (said so).
OrderFact max_page_order(const std::optional<std::string>& buddyinfo,
                         const std::optional<std::string>& pagetypeinfo,
                         const std::optional<std::string>& config,
                         const std::string& config_source);

struct FreePageReporting {
  bool active = false;
  std::optional<unsigned> order;  // page_reporting_order: blocks of 2^order pages are reported
  std::string source;
};

// Free page reporting: a virtio-balloon device bound to its driver that
// offered VIRTIO_BALLOON_F_REPORTING (feature bit 5 of `features`, a string
// of '0'/'1' per bit; nullopt when unreadable), and the order from the
// live module parameter, else the boot argument.
FreePageReporting free_page_reporting(bool balloon_bound,
                                      const std::optional<std::string>& features,
                                      const std::optional<std::string>& order_param,
                                      std::string_view cmdline);

// Whether data or instruction caches alias (cpu_dcache_is_aliasing()): never
// on x86_64 and arm64; unknown elsewhere.
BoolFact caches_alias(std::string_view machine);

// The value of a config option ("CONFIG_ARCH_FORCE_MAX_ORDER=10" -> "10"),
// nullopt when absent or "is not set".
std::optional<std::string> config_value(std::string_view config, std::string_view option);

struct KernelFacts {
  std::string release, machine;  // uname -r, uname -m
  PreemptModel preemption;
  BoolFact init_on_alloc, init_on_free, caches_alias;
  OrderFact max_page_order;
  FreePageReporting free_page_reporting;
};

KernelFacts read_kernel_facts();

}  // namespace zs
