// `zeroscope strategies`: the names that are not plans, kernel-fault and
// the "kernel" alias with what it resolves to on this machine.
#pragma once

namespace zs::cli {

void print_strategy_aliases();

}  // namespace zs::cli
