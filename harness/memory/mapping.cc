#include "memory/mapping.h"
#include "common/linux_compat.h"

#include "memory/smaps.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

namespace zs {

Mapping Mapping::anonymous(std::size_t bytes, std::size_t align) {
  if (align == 0) align = 1;
  bytes = (bytes + align - 1) / align * align;
  // Over-allocate by `align` and trim, so the start is folio-aligned and the
  // kernel can place a huge folio at every aligned offset.
  std::size_t raw_size = bytes + align;
  void* raw = mmap(nullptr, raw_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED)
    throw std::system_error(errno, std::generic_category(),
                            "mmap of " + std::to_string(raw_size) + " bytes");
  auto start = (reinterpret_cast<std::uintptr_t>(raw) + align - 1) / align * align;
  Mapping m;
  m.raw_ = raw;
  m.raw_size_ = raw_size;
  m.data_ = reinterpret_cast<std::byte*>(start);
  m.size_ = bytes;
  return m;
}

Mapping::~Mapping() { release(); }

Mapping::Mapping(Mapping&& o) noexcept { *this = std::move(o); }

Mapping& Mapping::operator=(Mapping&& o) noexcept {
  if (this != &o) {
    release();
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
    raw_ = std::exchange(o.raw_, nullptr);
    raw_size_ = std::exchange(o.raw_size_, 0);
  }
  return *this;
}

void Mapping::release() {
  if (raw_ != nullptr) munmap(raw_, raw_size_);
  raw_ = nullptr;
  data_ = nullptr;
  size_ = raw_size_ = 0;
}

bool Mapping::advise_huge() { return madvise(data_, size_, MADV_HUGEPAGE) == 0; }

void Mapping::populate() {
  if (madvise(data_, size_, MADV_POPULATE_WRITE) == 0) return;
  const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  for (std::size_t off = 0; off < size_; off += page)
    *reinterpret_cast<volatile std::byte*>(data_ + off) = std::byte{0};
}

long long Mapping::anon_huge_bytes() const {
  auto lo = reinterpret_cast<std::uintptr_t>(data_);
  SmapsHuge h = smaps_anon_huge(lo, lo + size_);
  return h.readable ? static_cast<long long>(h.anon_huge_bytes) : -1;
}

}  // namespace zs
