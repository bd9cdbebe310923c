#include "memory/thp_settings.h"

#include <dirent.h>

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/parse.h"
#include "common/units.h"
#include "machine/sysfs.h"

namespace zs {
namespace {

constexpr const char* kThpDir = "/sys/kernel/mm/transparent_hugepage";

std::string top_enabled_path() { return std::string(kThpDir) + "/enabled"; }

bool usable(const std::string& effective) {
  return effective == "always" || effective == "madvise";
}

std::string sizes_text(const std::vector<ThpSize>& sizes) {
  std::vector<std::string> names;
  for (const auto& s : sizes) names.push_back(exact_size(s.bytes));
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

std::string thp_enabled() { return sysfs::selected(sysfs::read(top_enabled_path()).value_or("")); }

std::string thp_defrag() {
  return sysfs::selected(sysfs::read(std::string(kThpDir) + "/defrag").value_or(""));
}

std::uint64_t thp_pmd_bytes() {
  return sysfs::read_u64(std::string(kThpDir) + "/hpage_pmd_size").value_or(0);
}

std::vector<ThpSize> thp_sizes() {
  std::vector<ThpSize> sizes;
  const std::string top = thp_enabled();
  if (top.empty()) return sizes;
  if (DIR* d = ::opendir(kThpDir)) {
    while (dirent* e = ::readdir(d)) {
      std::uint64_t bytes = sysfs::hugepages_dir_bytes(e->d_name);
      if (bytes == 0) continue;
      ThpSize s;
      s.bytes = bytes;
      s.enabled_path = std::string(kThpDir) + "/" + e->d_name + "/enabled";
      auto raw = sysfs::read(s.enabled_path);
      if (!raw) continue;  // a size directory without `enabled` is not an anonymous size
      s.enabled = sysfs::selected(*raw);
      s.effective = s.enabled == "inherit" ? top : s.enabled;
      sizes.push_back(std::move(s));
    }
    ::closedir(d);
  }
  // Before Linux 6.8 there are no per-size files: the PMD size is the only
  // one, governed by the top-level switch.
  if (sizes.empty()) {
    if (std::uint64_t pmd = thp_pmd_bytes()) sizes.push_back({pmd, top, top_enabled_path(), top});
  }
  std::sort(sizes.begin(), sizes.end(),
            [](const ThpSize& a, const ThpSize& b) { return a.bytes < b.bytes; });
  return sizes;
}

std::optional<std::string> thp_size_unusable(std::uint64_t bytes) {
  const std::string name = exact_size(bytes);
  if (thp_enabled().empty())
    return fmt::format(
        "mTHP {}: {} is missing: this kernel is built without CONFIG_TRANSPARENT_HUGEPAGE; use a "
        "kernel with it, or hugetlb pages",
        name, top_enabled_path());
  auto sizes = thp_sizes();
  auto it =
      std::find_if(sizes.begin(), sizes.end(), [&](const ThpSize& s) { return s.bytes == bytes; });
  if (it == sizes.end())
    return fmt::format("mTHP {}: this kernel offers no anonymous THP of that size; it offers: {}",
                       name, sizes_text(sizes));
  if (usable(it->effective)) return std::nullopt;
  if (it->enabled == "inherit")
    return fmt::format(
        "mTHP {}: {} is 'inherit' and {} is '{}'; enable it with 'echo madvise > {}' as root, "
        "or rerun with {} as root",
        name, it->enabled_path, top_enabled_path(), it->effective, top_enabled_path(),
        option_ref(Option::enable_mthp));
  return fmt::format(
      "mTHP {}: {} is '{}'; enable it with 'echo madvise > {}' as root, or rerun with "
      "{} as root",
      name, it->enabled_path, it->enabled, it->enabled_path, option_ref(Option::enable_mthp));
}

MthpEnable::MthpEnable(std::uint64_t bytes) {
  auto sizes = thp_sizes();
  auto it =
      std::find_if(sizes.begin(), sizes.end(), [&](const ThpSize& s) { return s.bytes == bytes; });
  if (it == sizes.end()) {
    if (auto why = thp_size_unusable(bytes)) throw SetupError(*why);
    return;
  }
  // An inheriting size follows the top-level switch: changing that one keeps
  // the user's `inherit` as it was, which is how distributions ship the PMD size.
  const std::string path = it->enabled == "inherit" ? top_enabled_path() : it->enabled_path;
  // Owned even when usable as it is: another run's `madvise` may be what
  // makes it usable, and that run would take it back while this one runs.
  locks_.emplace_back(path);
  if (thp_size_unusable(bytes) == std::nullopt) return;
  guards_.emplace_back(path, "madvise");
  if (auto still = thp_size_unusable(bytes))
    throw SetupError(fmt::format("{} (after writing 'madvise' to {})", *still, path));
}

}  // namespace zs
