// The file behind a pool whose folios are zeroed through an alias mapping
// (the alias strategies, measure/alias_executor.h): the kernel zeroes such
// memory through a second, temporary mapping, so the folio must be mappable
// twice, which anonymous memory is not. A memfd is:
//   thp      a shmem memfd, MADV_HUGEPAGE on the program's mapping (shmem
//            THP must be allowed for the size: shmem_enabled)
//   hugetlb  memfd_create(MFD_HUGETLB | the size's flag), from the pool
// mthp and base have no alias strategy support (refused with the reason).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memory/setting_guard.h"

namespace zs {

enum class Backing;
struct PoolOptions;

// nullopt when a memfd of `backing` can provide folios of `folio_bytes`
// (with the options given); otherwise the one-line cause and fix.
std::optional<std::string> memfd_backing_unusable(Backing backing, std::uint64_t folio_bytes,
                                                  const PoolOptions& opt);

// Shmem THP of `bytes` for an MADV_HUGEPAGE mapping: nullopt when allowed
// now, else the sysfs file, its value and the fix (or the enabling option).
std::optional<std::string> shmem_thp_unusable(std::uint64_t bytes);

// The enabling option: owns the shmem_enabled file that governs the size
// (its own, or the top-level one when it inherits) and, when shmem THP is
// not allowed, writes `advise` for the run, restored on every exit path
// (setting_guard.h). Throws SetupError when not permitted.
class ShmemThpEnable {
 public:
  explicit ShmemThpEnable(std::uint64_t bytes);
  bool changed() const { return !guards_.empty(); }

 private:
  std::vector<SettingLock> locks_;  // before guards_: released after they restore
  std::vector<SettingGuard> guards_;
};

// The pool's file, owned: `count` folios of `folio_bytes`, folio i at file
// offset i * folio_bytes, each mapped at its own address (one VMA per folio,
// a PROT_NONE gap after each THP folio as in the anonymous pool).
class MemfdFolios {
 public:
  MemfdFolios(Backing backing, std::uint64_t folio_bytes, std::size_t count);
  ~MemfdFolios();
  MemfdFolios(const MemfdFolios&) = delete;
  MemfdFolios& operator=(const MemfdFolios&) = delete;

  int fd() const { return fd_; }
  std::byte* base() const { return base_; }
  std::size_t stride() const { return stride_; }
  // Gives the folio's memory back (FALLOC_FL_PUNCH_HOLE): the program's
  // mapping faults a fresh folio in at its next touch.
  void punch(std::uint64_t offset, std::uint64_t bytes) const;

 private:
  int fd_ = -1;
  std::byte* raw_ = nullptr;
  std::byte* base_ = nullptr;
  std::size_t raw_bytes_ = 0, stride_ = 0;
};

}  // namespace zs
