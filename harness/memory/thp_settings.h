// Transparent huge page settings: the PMD-sized THP (2 MiB on x86_64) and
// the multi-size (mTHP) anonymous sizes under
// /sys/kernel/mm/transparent_hugepage/hugepages-<kB>kB/enabled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "memory/setting_guard.h"

namespace zs {

struct ThpSize {
  std::uint64_t bytes = 0;
  std::string enabled;       // always | inherit | madvise | never (the selected word)
  std::string enabled_path;  // .../hugepages-64kB/enabled
  // What applies to an MADV_HUGEPAGE mapping, `inherit` resolved through
  // the top-level setting.
  std::string effective;
};

// The top-level /sys/kernel/mm/transparent_hugepage/enabled (selected word),
// its defrag, and hpage_pmd_size; empty / 0 when THP is not built in.
std::string thp_enabled();
std::string thp_defrag();
std::uint64_t thp_pmd_bytes();

// Every anonymous size the kernel offers, smallest first.
std::vector<ThpSize> thp_sizes();

// nullopt when an MADV_HUGEPAGE mapping can get anonymous folios of `bytes`
// now; otherwise one line naming the sysfs file, its value and the command
// that enables it (or --enable-mthp), or the sizes that exist.
std::optional<std::string> thp_size_unusable(std::uint64_t bytes);

// --enable-mthp: owns the setting that governs the size (its `enabled`, or
// the top-level one when it inherits; settings_lock.h) for the run and, when
// the size is not usable, sets it to `madvise`, restored at exit. Throws
// SetupError when not permitted, or when another live run owns it.
class MthpEnable {
 public:
  explicit MthpEnable(std::uint64_t bytes);
  bool changed() const { return !guards_.empty(); }

 private:
  std::vector<SettingLock> locks_;  // before guards_: released after they restore
  std::vector<SettingGuard> guards_;
};

}  // namespace zs
