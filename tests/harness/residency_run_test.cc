// The residency map end to end on this machine (the Bar): a THP
// 2 MiB run of sequential and three-region, target first, cold, 20
// repetitions, writes residency.csv with a row per page and sample, meta.json
// records the calibration, and the map shows what each order leaves in
// cache. Skips, saying why, where THP cannot back a 2 MiB folio.
#include <cstdlib>
#include <filesystem>
#include <map>
#include <vector>

#include <gtest/gtest.h>

#include "machine/cache_topology.h"
#include "measure/residency.h"
#include "memory/folio_pool.h"
#include "results/residency_csv.h"
#include "results/results_dir.h"

namespace zs {
namespace {

double median_ns(const std::vector<ResidencyRow>& rows, const std::string& strategy,
                 std::uint32_t from, std::uint32_t to) {
  std::vector<double> v;
  for (const ResidencyRow& r : rows)
    if (r.key.find("/" + strategy + "/") != std::string::npos && r.page >= from && r.page <= to)
      v.push_back(r.ns);
  return residency_median(v);
}

TEST(ResidencyRun, TheBar) {
  if (auto why = backing_unusable(Backing::thp, 2u << 20, PoolOptions{}))
    GTEST_SKIP() << "THP 2 MiB unavailable here: " << *why;
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("zs-residency-run-" + std::to_string(getpid())))
          .string();
  std::filesystem::remove_all(dir);
  const std::string cmd = std::string(ZS_BINARY) + " run " + ZS_SOURCE_DIR +
                          "/configs/residency.toml --out " + dir + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const auto meta = read_json(dir + "/meta.json");
  ASSERT_TRUE(meta.contains("residency"));
  EXPECT_EQ(meta["residency"]["lines_per_page"], 4);
  EXPECT_EQ(meta["residency"]["calibration"]["levels"].size(), 4u);
  const ResidencyFile f = read_residency(dir + "/residency.csv");
  EXPECT_FALSE(f.torn);
  EXPECT_EQ(f.rows.size(), 2u * 20 * 512);  // every sample kept on this machine
  const double seq_first = median_ns(f.rows, "sequential", 0, 2);
  const double seq_last = median_ns(f.rows, "sequential", 509, 511);
  const double tr_first = median_ns(f.rows, "three-region", 0, 2);
  const double tr_middle = median_ns(f.rows, "three-region", 200, 300);
  const double tr_cleared_first = median_ns(f.rows, "three-region", 3, 100);
  std::cout << "sequential: pages 0-2 " << seq_first << " ns, 509-511 " << seq_last
            << " ns; three-region: pages 0-2 " << tr_first << " ns, 3-100 " << tr_cleared_first
            << " ns, 200-300 " << tr_middle << " ns\n";
  // Sequential clears page 0 first: the first pages are the coldest.
  EXPECT_GE(seq_first - seq_last, 5.0);
  // Three-region (target first) clears 3..511 first and 0..2 last. Where L2
  // holds most of the folio (2 MiB on the development VM) pages 200-300
  // survive too, so the Bar's 200-300 is checked only where L2 is 1 MiB or less
  // (AMD Zen 4, where the figures were taken).
  EXPECT_GE(tr_cleared_first - tr_first, 5.0);
  std::uint64_t l2 = 0;
  for (const SysfsCache& c : sysfs_caches())
    if (c.level == 2) l2 = c.bytes;
  if (l2 != 0 && l2 <= (1u << 20))
    EXPECT_GE(tr_middle - tr_first, 5.0);
  else
    std::cout << "L2 of " << l2 << " bytes holds pages 200-300 after three-region: not checked\n";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zs
