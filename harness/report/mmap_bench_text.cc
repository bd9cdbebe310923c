#include "report/mmap_bench_text.h"

#include <cstdint>

#include <fmt/format.h>

#include "common/units.h"
#include "report/mmap_bench_loops.h"
#include "stats/stats.h"

namespace zs {

std::string format_header(const MmapBenchConfig& c, const std::string& size_as_given,
                          const std::string& warmup_note) {
  const bool demand = c.fault == MmapFault::demand;
  return fmt::format(
      "# Running 'mem/mmap' benchmark:\n# function '{}' ({})\n# Copying {} bytes ...\n{}\n",
      demand ? "demand" : "populate", demand ? "Demand loaded mmap()" : "Eagerly populated mmap()",
      size_as_given, warmup_note.empty() ? "" : "# " + warmup_note + "\n");
}

std::string format_rate(double gib_s) { return fmt::format(" {:14.6f} GB/sec\n", gib_s); }

std::string format_summary(const MmapBenchConfig& c, const std::vector<MmapLoopResult>& loops) {
  std::vector<double> rates;
  for (const auto& l : loops)
    if (auto r = gib_per_sec(c.size_bytes, l.ns)) rates.push_back(*r);
  const std::uint64_t pages = c.size_bytes / c.page_bytes * loops.size();
  const std::string page = compact_size(c.page_bytes);
  MeanSpread m = mean_rel_stddev(rates);
  std::string spread = m.rel_stddev ? fmt::format("+- {:.2f}% (stddev)", *m.rel_stddev * 100)
                                    : std::string("(one loop: no variance is known)");
  const double median = rates.empty() ? 0 : stats::percentile(rates, 0.5);
  std::string out = fmt::format(
      "# {} loop{}: mean {:.6f} GB/sec {}, median {:.6f} GB/sec, {} page{} of {} touched",
      loops.size(), loops.size() == 1 ? "" : "s", m.mean, spread, median, pages,
      pages == 1 ? "" : "s", page);
  std::vector<std::uint64_t> ns;
  for (const auto& l : loops) ns.push_back(l.ns);
  std::string warning = format_loop_checks(ns);
  if (m.rel_stddev && *m.rel_stddev > 0.10)
    warning += fmt::format(
        "# WARNING: the loops differ by {:.0f}% (stddev): compare medians, or rerun with --warmup "
        "1 "
        "(on VMs the first loop after a pause often pays host-side faults)\n",
        *m.rel_stddev * 100);
  switch (c.backing) {
    case MmapBacking::hugetlb:
      out += ", hugetlb (MAP_HUGETLB)";
      break;
    case MmapBacking::base:
      out += ", base pages (MADV_NOHUGEPAGE)";
      break;
    case MmapBacking::thp: {
      std::uint64_t thp = 0;
      bool known = true;
      for (const auto& l : loops) {
        if (!l.thp_pages)
          known = false;
        else
          thp += *l.thp_pages;
      }
      if (!known) {
        out += ", THP backing unverified";
        warning = fmt::format(
            "# WARNING: THP backing of the {} pages could not be read from /proc/self/smaps: "
            "these numbers may include 4KB faults\n",
            page);
      } else {
        out += fmt::format(", {} of {} THP-backed (smaps AnonHugePages)", thp, pages);
        if (thp < pages)
          warning += fmt::format(
              "# WARNING: only {} of {} {} pages were THP-backed: this measured 4KB faults too\n",
              thp, pages, page);
      }
      break;
    }
  }
  return out + "\n" + warning;
}

}  // namespace zs
