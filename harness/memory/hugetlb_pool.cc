#include "memory/hugetlb_pool.h"

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

constexpr const char* kHugepagesDir = "/sys/kernel/mm/hugepages";

HugetlbPool read_pool(std::uint64_t bytes, const std::string& dir) {
  HugetlbPool p;
  p.page_bytes = bytes;
  p.dir = dir;
  p.nr = sysfs::read_u64(dir + "/nr_hugepages").value_or(0);
  p.free = sysfs::read_u64(dir + "/free_hugepages").value_or(0);
  p.resv = sysfs::read_u64(dir + "/resv_hugepages").value_or(0);
  p.surplus = sysfs::read_u64(dir + "/surplus_hugepages").value_or(0);
  return p;
}

// The kernel command line spells sizes "2M", "1G".
std::string boot_size(std::uint64_t bytes) {
  if (bytes % (1ull << 30) == 0) return fmt::format("{}G", bytes >> 30);
  if (bytes % (1ull << 20) == 0) return fmt::format("{}M", bytes >> 20);
  return fmt::format("{}K", bytes >> 10);
}

std::string offered(const std::vector<HugetlbPool>& pools) {
  if (pools.empty()) return "none (a kernel without CONFIG_HUGETLBFS)";
  std::vector<std::string> sizes;
  for (const auto& p : pools) sizes.push_back(exact_size(p.page_bytes));
  return fmt::format("{}", fmt::join(sizes, ", "));
}

std::string free_text(const HugetlbPool& p) {
  if (p.resv == 0) return fmt::format("{} {} free", p.free, p.free == 1 ? "is" : "are");
  return fmt::format("{} {} free but {} of them reserved by other mappings", p.free,
                     p.free == 1 ? "is" : "are", p.resv);
}

}  // namespace

std::vector<HugetlbPool> hugetlb_pools() {
  std::vector<HugetlbPool> pools;
  DIR* d = ::opendir(kHugepagesDir);
  if (d == nullptr) return pools;
  while (dirent* e = ::readdir(d)) {
    std::uint64_t bytes = sysfs::hugepages_dir_bytes(e->d_name);
    if (bytes != 0) pools.push_back(read_pool(bytes, std::string(kHugepagesDir) + "/" + e->d_name));
  }
  ::closedir(d);
  std::sort(pools.begin(), pools.end(),
            [](const HugetlbPool& a, const HugetlbPool& b) { return a.page_bytes < b.page_bytes; });
  return pools;
}

std::optional<HugetlbPool> hugetlb_pool(std::uint64_t page_bytes) {
  for (auto& p : hugetlb_pools())
    if (p.page_bytes == page_bytes) return p;
  return std::nullopt;
}

HugetlbReservation ensure_hugetlb_pages(std::uint64_t page_bytes, std::uint64_t needed,
                                        bool reserve) {
  auto pool = hugetlb_pool(page_bytes);
  if (!pool) {
    std::string fix =
        page_bytes == (1ull << 30)
            ? "boot with 'hugepagesz=1G hugepages=N' on a CPU with pdpe1gb, or use another size"
            : "use one of those sizes";
    throw SetupError(fmt::format(
        "hugetlb {} pool: this kernel has none ({}/hugepages-{}kB is missing); it "
        "offers: {}; {}",
        exact_size(page_bytes), kHugepagesDir, page_bytes >> 10, offered(hugetlb_pools()), fix));
  }
  const std::string nr_path = pool->dir + "/nr_hugepages";
  std::optional<SettingLock> lock;
  if (reserve) {
    lock.emplace(nr_path);  // a dead owner's count is restored first
    pool = hugetlb_pool(page_bytes);
    if (!pool)
      throw SetupError(
          fmt::format("hugetlb {} pool: {} vanished", exact_size(page_bytes), nr_path));
  }
  if (pool->available() >= needed)
    return lock ? HugetlbReservation(std::move(*lock)) : HugetlbReservation{};

  // nr_hugepages reads persistent + surplus pages but sets the persistent
  // count, so the target is counted from the persistent pages.
  const std::uint64_t persistent = pool->nr > pool->surplus ? pool->nr - pool->surplus : 0;
  const std::uint64_t target = persistent + (needed - pool->available());
  if (!reserve)
    throw SetupError(
        fmt::format("hugetlb {} pool: the run needs {} pages, {}; reserve them with 'echo {} > {}' "
                    "as root, or rerun with {} as root",
                    exact_size(page_bytes), needed, free_text(*pool), target, nr_path,
                    option_ref(Option::reserve_hugetlb)));

  SettingGuard guard(nr_path, std::to_string(target));
  auto after = hugetlb_pool(page_bytes);
  if (!after || after->available() < needed) {
    std::uint64_t got = after ? after->available() : 0;
    // `guard` goes out of scope here and puts nr_hugepages back.
    throw SetupError(fmt::format(
        "hugetlb {} pool: asked the kernel for {} pages ('echo {} > {}'), it could "
        "provide only {} free (memory too fragmented or too little free); restored "
        "nr_hugepages to {}; reserve them at boot ('hugepagesz={} hugepages={}') or retry "
        "after 'echo 1 > /proc/sys/vm/compact_memory'",
        exact_size(page_bytes), needed, target, nr_path, got, guard.original(),
        boot_size(page_bytes), target));
  }
  return HugetlbReservation(std::move(*lock), std::move(guard));
}

}  // namespace zs
