#include "memory/memfd_pool.h"
#include "common/linux_compat.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/units.h"
#include "machine/sysfs.h"
#include "memory/folio_pool.h"

#ifndef MFD_HUGETLB
#define MFD_HUGETLB 0x0004U
#endif
#ifndef MFD_HUGE_SHIFT
#define MFD_HUGE_SHIFT 26
#endif

namespace zs {
namespace {

constexpr const char* kThpDir = "/sys/kernel/mm/transparent_hugepage";

std::string top_path() { return std::string(kThpDir) + "/shmem_enabled"; }
std::string size_path(std::uint64_t bytes) {
  return fmt::format("{}/hugepages-{}kB/shmem_enabled", kThpDir, bytes >> 10);
}

// The file that governs shmem THP of `bytes`, its word, and the word that
// applies (`inherit` resolved through the top-level file).
struct ShmemSetting {
  std::string path, word, effective;
};
std::optional<ShmemSetting> shmem_setting(std::uint64_t bytes) {
  auto top = sysfs::read(top_path());
  if (!top) return std::nullopt;
  const std::string top_word = sysfs::selected(*top);
  // Before Linux 6.11 there is no per-size file: the top-level one governs.
  if (auto own = sysfs::read(size_path(bytes))) {
    std::string w = sysfs::selected(*own);
    if (w != "inherit") return ShmemSetting{size_path(bytes), w, w};
    return ShmemSetting{top_path(), w, top_word};
  }
  return ShmemSetting{top_path(), top_word, top_word};
}

// `advise` and stronger give an MADV_HUGEPAGE mapping huge folios.
bool allows(const std::string& w) {
  return w == "always" || w == "within_size" || w == "advise" || w == "force";
}

}  // namespace

std::optional<std::string> shmem_thp_unusable(std::uint64_t bytes) {
  const std::string name = exact_size(bytes);
  auto s = shmem_setting(bytes);
  if (!s)
    return fmt::format(
        "shmem THP {}: {} is missing: this kernel has no transparent huge pages for shmem; use "
        "backing hugetlb for the alias strategies",
        name, top_path());
  if (allows(s->effective)) return std::nullopt;
  return fmt::format(
      "shmem THP {}: {} is '{}'{}; the alias strategies' memfd needs it: enable it with 'echo "
      "advise > {}' as root, or rerun with {} as root",
      name, s->path, s->effective,
      s->word == "inherit" ? fmt::format(" ({} inherits it)", size_path(bytes)) : "", s->path,
      option_ref(Option::shmem_thp));
}

std::optional<std::string> memfd_backing_unusable(Backing backing, std::uint64_t folio_bytes,
                                                  const PoolOptions& opt) {
  switch (backing) {
    case Backing::thp:
      if (auto why = backing_unusable(Backing::thp, folio_bytes, PoolOptions{})) return why;
      if (opt.enable_shmem_thp) return std::nullopt;  // ShmemThpEnable checks when it runs
      return shmem_thp_unusable(folio_bytes);
    case Backing::hugetlb:
      return backing_unusable(backing, folio_bytes, opt);
    case Backing::mthp:
    case Backing::base:
      return fmt::format(
          "backing {}: the alias strategies zero a memfd-backed folio, which zeroscope makes for "
          "thp (shmem) and hugetlb only; use backing thp or hugetlb with them",
          to_string(backing));
  }
  return std::string("unknown backing");
}

ShmemThpEnable::ShmemThpEnable(std::uint64_t bytes) {
  auto s = shmem_setting(bytes);
  if (!s) throw SetupError(*shmem_thp_unusable(bytes));
  // Owned even when allowed as it is: another run's `advise` may be what
  // allows it, and that run would take it back while this one runs.
  locks_.emplace_back(s->path);
  if (!shmem_thp_unusable(bytes)) return;
  guards_.emplace_back(s->path, "advise");
  if (auto still = shmem_thp_unusable(bytes))
    throw SetupError(fmt::format("{} (after writing 'advise' to {})", *still, s->path));
}

MemfdFolios::MemfdFolios(Backing backing, std::uint64_t folio_bytes, std::size_t count) {
  const bool hugetlb = backing == Backing::hugetlb;
  unsigned flags = MFD_CLOEXEC;
  if (hugetlb) flags |= MFD_HUGETLB | (unsigned(std::countr_zero(folio_bytes)) << MFD_HUGE_SHIFT);
  fd_ = memfd_create(hugetlb ? "zeroscope-hugetlb" : "zeroscope-shmem", flags);
  if (fd_ < 0)
    throw SetupError(fmt::format("memfd_create for {} {} folios: {}", to_string(backing),
                                 exact_size(folio_bytes), std::strerror(errno)));
  const std::uint64_t file_bytes = folio_bytes * count;
  if (ftruncate(fd_, static_cast<off_t>(file_bytes)) != 0) {
    const int e = errno;
    close(fd_);
    throw SetupError(fmt::format("memfd of {} x {}: ftruncate: {}", count, exact_size(folio_bytes),
                                 std::strerror(e)));
  }
  // A reservation aligned to the folio, PROT_NONE, into which each folio's
  // file range is mapped: THP folios with a gap after each (one VMA per
  // folio, so the kernel cannot place a folio across two), hugetlb ones
  // back to back.
  stride_ = hugetlb ? folio_bytes : 2 * folio_bytes;
  raw_bytes_ = count * stride_ + folio_bytes;
  void* raw =
      mmap(nullptr, raw_bytes_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) {
    close(fd_);
    throw SetupError(fmt::format("cannot reserve {} of address space: {}", exact_size(raw_bytes_),
                                 std::strerror(errno)));
  }
  raw_ = static_cast<std::byte*>(raw);
  base_ = reinterpret_cast<std::byte*>((reinterpret_cast<std::uintptr_t>(raw) + folio_bytes - 1) /
                                       folio_bytes * folio_bytes);
  for (std::size_t i = 0; i < count; ++i) {
    std::byte* at = base_ + i * stride_;
    void* p = mmap(at, folio_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd_,
                   static_cast<off_t>(i * folio_bytes));
    if (p != at || (!hugetlb && madvise(at, folio_bytes, MADV_HUGEPAGE) != 0)) {
      const int e = errno;
      munmap(raw_, raw_bytes_);
      close(fd_);
      throw SetupError(fmt::format("cannot map folio {} of the {} memfd: {}", i, to_string(backing),
                                   std::strerror(e)));
    }
  }
}

MemfdFolios::~MemfdFolios() {
  if (raw_ != nullptr) munmap(raw_, raw_bytes_);
  if (fd_ >= 0) close(fd_);
}

void MemfdFolios::punch(std::uint64_t offset, std::uint64_t bytes) const {
  if (fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                static_cast<off_t>(bytes)) != 0)
    throw std::runtime_error(fmt::format("punching the hole of [{}, +{}) in the memfd: {}", offset,
                                         bytes, std::strerror(errno)));
}

}  // namespace zs
