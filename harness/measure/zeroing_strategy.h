// What zeroes a point's folio: a strategy of the registry (kernels/
// strategies), whose plan the executor runs with a primitive, or the running
// kernel's own page-fault path, which has neither plan nor primitive.
#pragma once

#include <string>
#include <string_view>

#include "strategies/strategy.h"

namespace zs {

// Not a plan but the running kernel's page-fault path: on kernels before
// 7.0, left-right for 2 MiB folios and sequential for 1 GiB ones. The one
// spelling of the name.
inline constexpr std::string_view kKernelFault = "kernel-fault";

class ZeroingStrategy {
 public:
  // From its name, as points are written (configs, flags, results); a name
  // that is neither a registry strategy nor kernel-fault is kept for the
  // message that refuses it: known() is false.
  ZeroingStrategy(std::string_view name)  // NOLINT(google-explicit-constructor)
      : name_(name), plan_(find_strategy(name)), kernel_fault_(name == kKernelFault) {}
  ZeroingStrategy(const char* name) : ZeroingStrategy(std::string_view(name)) {}         // NOLINT
  ZeroingStrategy(const std::string& name) : ZeroingStrategy(std::string_view(name)) {}  // NOLINT

  const std::string& name() const { return name_; }
  // The registry entry; nullptr for kernel-fault (and an unknown name).
  const Strategy* plan() const { return plan_; }
  bool kernel_fault() const { return kernel_fault_; }
  bool known() const { return kernel_fault_ || plan_ != nullptr; }

  bool operator==(const ZeroingStrategy& o) const { return name_ == o.name_; }
  bool operator==(std::string_view o) const { return name_ == o; }
  bool operator==(const std::string& o) const { return name_ == o; }
  bool operator==(const char* o) const { return name_ == o; }

 private:
  std::string name_;
  const Strategy* plan_ = nullptr;
  bool kernel_fault_ = false;
};

inline std::string_view to_string(const ZeroingStrategy& s) { return s.name(); }

}  // namespace zs
