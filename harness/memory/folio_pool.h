// A pool of real huge folios of one backing and size, owned: every mapping
// is unmapped and every setting changed for it (hugetlb pool, mTHP enable)
// restored when the pool goes away. Each folio's backing is verified; one
// that is not a huge folio is flagged, never measured as huge.
//   thp      anonymous, MADV_HUGEPAGE, PMD-sized (2 MiB on x86_64)
//   mthp     anonymous, MADV_HUGEPAGE, a multi-size THP size the kernel offers
//   hugetlb  MAP_HUGETLB with the size's MAP_HUGE_* flag, from the pool
//   base     anonymous, MADV_NOHUGEPAGE: base pages, as a control
// A memfd pool (the alias strategies: memory/memfd_pool.h) maps thp and
// hugetlb folios from a file instead, so they can be mapped a second time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memory/backing.h"
#include "memory/hugetlb_pool.h"
#include "memory/memfd_pool.h"
#include "memory/thp_settings.h"

namespace zs {

enum class Backing { thp, mthp, hugetlb, base };
std::optional<Backing> parse_backing(std::string_view s);
const char* to_string(Backing b);

struct PoolOptions {
  bool reserve_hugetlb = false;   // --reserve-hugetlb: raise nr_hugepages for the run
  bool enable_mthp = false;       // --enable-mthp: set the size's `enabled` for the run
  bool enable_shmem_thp = false;  // allow shmem THP for the run (memfd pools)
};

// Where a pool's folios come from: anonymous memory, or a memfd whose file
// ranges can be mapped again (the alias strategies).
enum class PoolSource { anonymous, memfd };

// nullopt when `backing` can provide folios of `folio_bytes` on this machine
// now (or could with the options given); otherwise the one-line cause and
// fix. Checks settings only: reserves and maps nothing.
std::optional<std::string> backing_unusable(Backing backing, std::uint64_t folio_bytes,
                                            const PoolOptions& opt);

class FolioPool {
 public:
  // Checks, reserves or enables what the options allow, maps `count`
  // folios, faults them in and verifies each. Throws SetupError before
  // mapping anything when the machine cannot provide them.
  FolioPool(Backing backing, std::uint64_t folio_bytes, std::size_t count, const PoolOptions& opt,
            PoolSource source = PoolSource::anonymous);
  ~FolioPool();
  FolioPool(const FolioPool&) = delete;
  FolioPool& operator=(const FolioPool&) = delete;

  Backing backing() const { return backing_; }
  std::uint64_t folio_bytes() const { return folio_bytes_; }
  std::uint64_t page_bytes() const { return page_bytes_; }
  std::uint64_t nr_pages() const { return folio_bytes_ / page_bytes_; }
  std::size_t count() const { return count_; }
  PoolSource source() const { return memfd_ ? PoolSource::memfd : PoolSource::anonymous; }
  // memfd pools: the file, and folio i's offset in it; -1 / 0 otherwise.
  int fd() const { return memfd_ ? memfd_->fd() : -1; }
  std::uint64_t file_offset(std::size_t i) const { return memfd_ ? i * folio_bytes_ : 0; }
  std::byte* folio(std::size_t i) const { return base_ + i * stride_; }

  // The next folio, round-robin: with a pool of at least 4x the LLC, a folio
  // comes back only after enough other memory has been written to evict it.
  std::size_t next() { return cursor_ = (cursor_ + 1) % count_; }

  // The backing of folio i as verified when it was last faulted in.
  const BackingCheck& check(std::size_t i) const { return checks_[i]; }
  BackingMethod verify_method() const { return verifier_.method(); }
  // Re-verifies folio i now (after a kernel fault brought in a fresh one).
  const BackingCheck& reverify(std::size_t i);
  std::size_t huge_count() const;

  // Gives folio i back to the kernel, so that the next touch faults in a
  // fresh folio through the kernel's own fault path: MADV_DONTNEED for
  // anonymous memory, munmap + mmap for hugetlb (whose pages return to the
  // pool); a memfd pool punches the folio's hole in the file. Not timed.
  void discard(std::size_t i);
  // Faults folio i in again (MADV_POPULATE_WRITE, else a write per page).
  void populate(std::size_t i);

  std::string describe() const;  // "thp 2 MiB x 64, verified by kpageflags: 64 huge"

 private:
  void map_anonymous();
  void map_hugetlb();
  int hugetlb_flags() const;

  Backing backing_;
  std::uint64_t folio_bytes_, page_bytes_;
  std::size_t count_;
  std::size_t stride_ = 0;  // distance between folios (anonymous: 2x, a PROT_NONE gap each)
  std::byte* base_ = nullptr;
  std::byte* raw_ = nullptr;
  std::size_t raw_bytes_ = 0;
  std::size_t cursor_ = 0;
  std::optional<HugetlbReservation> reservation_;
  std::optional<MthpEnable> mthp_;
  std::optional<ShmemThpEnable> shmem_;
  std::optional<MemfdFolios> memfd_;
  BackingVerifier verifier_;
  std::vector<BackingCheck> checks_;
};

}  // namespace zs
