// One zeroing primitive: a function with the C ABI every kernel shares, plus
// the metadata the harness needs to call it correctly and to say why it
// cannot be used on this CPU.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

extern "C" {
// Zero [dst, dst + bytes). dst must be a multiple of the primitive's `align`,
// bytes a multiple of its `granule`.
typedef void (*zs_zero_fn)(void* dst, std::size_t bytes);
}

namespace zs {

// The result of a primitive's availability probe, evaluated once at start-up.
// `why` says what was checked: the missing feature when !ok, the evidence
// when ok. align/granule of 0 keep the static metadata; a primitive whose
// geometry is only known at run time (DC ZVA's block size) fills them.
struct Availability {
  bool ok = false;
  std::string why;
  std::size_t align = 0;
  std::size_t granule = 0;
};

struct PrimitiveInfo {
  std::string_view name;
  std::string_view arch;     // "x86_64", "arm64" or "any"
  std::string_view feature;  // CPU feature it requires ("" = baseline ISA)
  std::size_t align;         // dst must be a multiple of this (bytes)
  std::size_t granule;       // bytes must be a multiple of this
  zs_zero_fn fn;
  Availability (*probe)();
  std::string_view description;
};

// The kernel's clear_page()/clear_pages() choice on this CPU: the name of a
// primitive of this architecture and the evidence it was chosen on.
struct KernelChoice {
  std::string name;
  std::string why;
};

// Provided by exactly one architecture directory under kernels/primitives/.
std::span<const PrimitiveInfo> arch_primitives();
KernelChoice arch_kernel_choice();
std::string_view arch_name();

// Always built: kernels/primitives/generic/.
std::span<const PrimitiveInfo> generic_primitives();

}  // namespace zs
