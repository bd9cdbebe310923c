// The registry of zeroing primitives for the architecture this binary was
// built for: every primitive's metadata, its availability on this CPU
// (probed once, on first use) and the `kernel` alias resolved to the real
// primitive the running kernel's clear_page() uses.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "primitives/primitive.h"

namespace zs {

struct Primitive {
  const PrimitiveInfo* info = nullptr;
  bool available = false;
  std::string why;          // reason when unavailable, evidence when available
  std::size_t align = 0;    // effective (run-time) alignment requirement
  std::size_t granule = 0;  // effective size granule

  std::string_view name() const { return info->name; }
  zs_zero_fn fn() const { return info->fn; }
};

class PrimitiveRegistry {
 public:
  // Probes every primitive once; later calls return the same registry.
  static const PrimitiveRegistry& get();

  std::span<const Primitive> all() const { return entries_; }
  // By name; "kernel" resolves to the kernel's choice. nullptr when unknown.
  const Primitive* find(std::string_view name) const;
  // The primitive the kernel's clear_pages() uses on this CPU, and why.
  const Primitive& kernel() const { return *kernel_; }
  const std::string& kernel_why() const { return kernel_why_; }
  // Every accepted name, "kernel" included, for error messages.
  std::vector<std::string> names() const;

 private:
  PrimitiveRegistry();
  std::vector<Primitive> entries_;
  const Primitive* kernel_ = nullptr;
  std::string kernel_why_;
};

inline constexpr std::string_view kKernelAlias = "kernel";

}  // namespace zs
