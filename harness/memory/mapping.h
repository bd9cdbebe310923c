// An owned anonymous mapping, aligned to a folio size so that the kernel can
// back it with huge folios: munmap in the destructor, nothing else to leak.
#pragma once

#include <cstddef>
#include <string>

namespace zs {

class Mapping {
 public:
  Mapping() = default;
  // bytes rounded up to `align`; throws std::system_error when mmap fails.
  static Mapping anonymous(std::size_t bytes, std::size_t align);
  ~Mapping();
  Mapping(Mapping&& other) noexcept;
  Mapping& operator=(Mapping&& other) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }

  // MADV_HUGEPAGE; false (errno kept) when the kernel refuses.
  bool advise_huge();
  // Faults every page in: MADV_POPULATE_WRITE where the kernel has it (5.14+),
  // else one write per base page.
  void populate();
  // Bytes of this mapping backed by anonymous huge pages, from the
  // AnonHugePages line of /proc/self/smaps; -1 when unreadable.
  long long anon_huge_bytes() const;

 private:
  void release();
  std::byte* data_ = nullptr;  // aligned start handed out
  std::size_t size_ = 0;
  void* raw_ = nullptr;  // what mmap returned, with alignment slack
  std::size_t raw_size_ = 0;
};

}  // namespace zs
