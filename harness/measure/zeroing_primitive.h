// The primitive a point's strategy clears with: a name of the primitive
// registry (kernels/primitives), or "kernel", the alias for the primitive
// the running kernel's clear_page() uses. The name as asked is the point's
// identity (its key); entry() is the real primitive on this CPU.
#pragma once

#include <string>
#include <string_view>

#include "primitives/registry.h"

namespace zs {

class ZeroingPrimitive {
 public:
  ZeroingPrimitive(std::string_view name) : name_(name) {}    // NOLINT
  ZeroingPrimitive(const char* name) : name_(name) {}         // NOLINT
  ZeroingPrimitive(const std::string& name) : name_(name) {}  // NOLINT

  const std::string& name() const { return name_; }
  // The registry entry, "kernel" resolved; nullptr for an unknown name.
  const Primitive* entry() const { return PrimitiveRegistry::get().find(name_); }
  bool is_kernel_alias() const { return name_ == kKernelAlias; }

  bool operator==(const ZeroingPrimitive& o) const { return name_ == o.name_; }
  bool operator==(std::string_view o) const { return name_ == o; }
  bool operator==(const std::string& o) const { return name_ == o; }
  bool operator==(const char* o) const { return name_ == o; }

 private:
  std::string name_;
};

}  // namespace zs
