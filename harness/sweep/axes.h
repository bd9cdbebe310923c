// The axes of a sweep: their keys in the file, which are also the order of
// point_key's components, how each is written and its default. The one
// list that the loader, the exclude rules and the point keys share.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace zs::sweep_axes {

enum Axis {
  kBacking,
  kFolio,
  kStrategy,
  kPrimitive,
  kTarget,
  kAccess,
  kCache,
  kBatch,
  kWidth,
  kMemory
};
inline constexpr std::size_t kCount = 10;

// [axes] keys and [[exclude]] keys, in point_key's order (memory appears in
// the key only where it is not the default: sweep/memory_axis.h).
inline const std::vector<std::string> kKeys = {"backing", "folio_size", "strategy", "primitive",
                                               "target",  "access",     "cache",    "batch",
                                               "width",   "memory"};

struct AxisInfo {
  const char* list;  // how the axis is written, for type errors
  const char* def;   // its default value, as written
};
inline constexpr AxisInfo kInfo[kCount] = {
    {"a list of strings", "thp"},
    {"a list of sizes such as \"2MB\"", "2MB"},
    {"a list of strings", "upstream"},
    {"a list of strings", "kernel"},
    {"a list of targets (strings or page numbers)", "first"},
    {"a list of strings", "page"},
    {"a list of strings", "cold"},
    {"a list of page counts or sizes", "0"},
    {"a list of integers", "2"},
    {"a list of strings", "recycled"},
};

// Batch and width are numbers; the others are written as strings.
inline bool numeric(Axis a) { return a == kBatch || a == kWidth; }

}  // namespace zs::sweep_axes
