// Byte sizes as people write them, one implementation for every message,
// table and record.
#pragma once

#include <cstdint>
#include <string>

namespace zs {

// Exact when the size is a whole number of GiB, MiB or KiB ("2 MiB",
// "1 GiB", "64 KiB"), else bytes ("1536 B"); what folio sizes are named by.
std::string exact_size(std::uint64_t bytes);
// Two decimals in the largest unit not above it ("1.50 GiB", "508.00 MiB",
// "4.00 KiB", "12 B"); what measured or detected sizes are shown as.
std::string approx_size(std::uint64_t bytes);
// Unspaced, as perf and the kernel's hugetlb cgroup files write a page size:
// "4KB", "2MB", "1GB" (binary units), else bytes ("1536B").
std::string compact_size(std::uint64_t bytes);

}  // namespace zs
