#include "cli/strategy_aliases.h"

#include <fmt/format.h>

#include "machine/kernel_path.h"
#include "machine/kernel_path_text.h"
#include "measure/zeroing_strategy.h"
#include "sweep/kernel_strategy.h"

namespace zs::cli {

void print_strategy_aliases() {
  fmt::print("{:<13} {:<16} {}\n", kKernelFault, "-",
             "the kernel's own page fault (no plan, no primitive)");
  fmt::print("{:<13} {:<16} {}\n", kKernelStrategyAlias, "the kernel's",
             "alias: the replica of this kernel's path for each backing and size "
             "(docs/kernel-zeroing.md); here:");
  for (const KernelZeroing& z : this_kernel_zeroing())
    fmt::print("{:<13} {:<16}   {:<14} -> {}\n", "", "", folio_label(z.backing, z.folio_size),
               z.strategy
                   ? *z.strategy + (z.width ? fmt::format(" w={}", *z.width) : std::string()) +
                         (z.batch ? fmt::format(" batch={}", *z.batch) : std::string())
                   : "not covered: " + z.reason);
}

}  // namespace zs::cli
