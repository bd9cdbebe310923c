// Checks that a primitive zeroes exactly [dst, dst + bytes) and leaves the
// canary bytes around it untouched. Header-only and free of GoogleTest so the
// arm64 build (run under qemu-user) uses the very same checks.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "primitives/registry.h"

namespace zs::testing {

inline constexpr unsigned char kCanary = 0xa5;
inline constexpr std::size_t kGuard = 4096;  // canary bytes before and after
inline constexpr std::size_t kMaxBytes = 8u << 20;

// Sizes from 64 B to 8 MiB that are multiples of `granule`: line and page
// multiples, page-crossing sizes, a 2 MiB folio and odd sizes where allowed.
inline std::vector<std::size_t> check_sizes(std::size_t granule) {
  const std::size_t all[] = {64,
                             65,
                             127,
                             128,
                             192,
                             256,
                             448,
                             1000,
                             1024,
                             4032,
                             4095,
                             4096,
                             4097,
                             4160,
                             12288,
                             65536,
                             65600,
                             1u << 20,
                             (1u << 20) + 1,
                             2u << 20,
                             (2u << 20) + 64,
                             kMaxBytes};
  std::vector<std::size_t> out;
  for (std::size_t s : all)
    if (s % granule == 0) out.push_back(s);
  return out;
}

// Every offset the alignment allows within a cache line and across a page
// boundary; large sizes get the first, the smallest and the last-in-page.
inline std::vector<std::size_t> check_offsets(std::size_t align, std::size_t bytes) {
  std::vector<std::size_t> out;
  if (bytes <= 65600) {
    for (std::size_t o = 0; o < 128; o += align) out.push_back(o);
    const std::size_t first = (4096 - 64 + align - 1) / align * align;
    for (std::size_t o = first; o < 4096 + 64; o += align)
      if (o >= 128) out.push_back(o);
  } else {
    out = {0, align};
    if (align < 4096) out.push_back(4096 - align);
    if (align < 64) out.push_back(64 - align);
  }
  return out;
}

// An arena of canaries with room for the largest case at any offset.
class Arena {
 public:
  Arena() {
    size_ = kGuard + 2 * 4096 + kMaxBytes + kGuard;
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    base_ = p == MAP_FAILED ? nullptr : static_cast<unsigned char*>(p);
  }
  ~Arena() {
    if (base_) munmap(base_, size_);
  }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  bool ok() const { return base_ != nullptr; }

  // Runs fn over [offset, offset + bytes) of the arena's page-aligned
  // interior; returns "" when exactly that range is zero and every other
  // byte is still the canary, else what went wrong.
  std::string check(zs_zero_fn fn, std::size_t offset, std::size_t bytes) {
    std::size_t span = kGuard + offset + bytes + kGuard;
    std::memset(base_, kCanary, span);
    unsigned char* dst = base_ + kGuard + offset;
    fn(dst, bytes);
    for (std::size_t i = 0; i < span; ++i) {
      bool inside = i >= kGuard + offset && i < kGuard + offset + bytes;
      unsigned char want = inside ? 0 : kCanary;
      if (base_[i] != want) {
        long long rel = static_cast<long long>(i) - static_cast<long long>(kGuard + offset);
        return "offset " + std::to_string(offset) + " size " + std::to_string(bytes) + ": byte " +
               std::to_string(rel) + " relative to dst is " + std::to_string(base_[i]) +
               (inside ? " (not zeroed)" : " (canary overwritten)");
      }
    }
    return "";
  }

  // Every size and offset the primitive's metadata allows; "" when all pass.
  std::string check_all(const Primitive& p, std::size_t* cases = nullptr) {
    std::size_t n = 0;
    for (std::size_t bytes : check_sizes(p.granule))
      for (std::size_t off : check_offsets(p.align, bytes)) {
        ++n;
        if (std::string err = check(p.fn(), off, bytes); !err.empty()) return err;
      }
    if (cases) *cases = n;
    return "";
  }

 private:
  unsigned char* base_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace zs::testing
