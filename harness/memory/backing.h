// Whether memory is really backed by one huge folio: a 4 KiB fallback must
// never be measured as huge. Checked from /proc/self/pagemap +
// /proc/kpageflags where readable (root), else from /proc/self/smaps
// (AnonHugePages, PMD-sized THP only), else not at all -- and it says which.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace zs {

enum class BackingMethod { kpageflags, smaps, none };
const char* to_string(BackingMethod m);

struct BackingCheck {
  bool verified = false;  // false: the method could not tell (huge is then unknown)
  bool huge = false;      // one naturally aligned folio of exactly the size asked
  std::string detail;     // why not, e.g. "page 17 not present", "head at pfn 0x.. not aligned"
};

class BackingVerifier {
 public:
  // Opens /proc/self/pagemap and /proc/kpageflags when readable and PFNs are
  // visible (CAP_SYS_ADMIN); `allow_kpageflags = false` forces the smaps
  // path (tests).
  explicit BackingVerifier(bool allow_kpageflags = true);
  ~BackingVerifier();
  BackingVerifier(const BackingVerifier&) = delete;
  BackingVerifier& operator=(const BackingVerifier&) = delete;

  BackingMethod method() const { return method_; }

  // [addr, addr + bytes) is one present huge folio of `bytes`: the first page
  // a compound head (KPF_COMPOUND_HEAD, and KPF_THP or, for hugetlb,
  // KPF_HUGE) at a PFN aligned to the folio, the rest its tails at
  // contiguous PFNs. With smaps: AnonHugePages covers the range (only for
  // PMD-sized THP; other sizes come back unverified). Outside the measured
  // phases only: it reads files.
  BackingCheck check_folio(const void* addr, std::size_t bytes, bool hugetlb) const;

 private:
  BackingMethod method_ = BackingMethod::none;
  int pagemap_fd_ = -1, kpageflags_fd_ = -1;
};

// THP fault counters from /proc/vmstat, for the kernel-fault path's
// before/after check when pagemap cannot be used.
struct ThpFaultCounters {
  std::uint64_t fault_alloc = 0, fault_fallback = 0;
};
std::optional<ThpFaultCounters> read_thp_fault_counters();

}  // namespace zs
