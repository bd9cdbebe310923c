// zeroscope mmap-bench: `perf bench mem mmap` with the backing verified.
// Thin: validates flags, reserves what the run needs, prints what the
// library measured.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "cli/emulation_notice.h"
#include "cli/usage.h"
#include "cli/validators.h"
#include "common/errors.h"
#include "common/limits.h"
#include "common/parse.h"
#include "common/units.h"
#include "machine/sysfs.h"
#include "measure/mmap_bench.h"
#include "measure/mmap_bench_warmup.h"
#include "memory/hugetlb_pool.h"
#include "memory/setting_guard.h"
#include "memory/thp_settings.h"
#include "report/mmap_bench_text.h"

namespace zs::cli {

namespace {
struct MmapArgs {
  std::string page = "4KB", backing = "hugetlb", size = "1GB", fault = "demand", offset = "first";
  std::uint64_t loops = 1, warmup = 0, seed = 1;
  bool seed_given = false, warmup_given = false, reserve_hugetlb = false, enable_mthp = false;
  bool wait = false;  // --wait: for a live run owning a setting this one changes
};

std::uint64_t mem_total_bytes() {
  auto text = sysfs::read("/proc/meminfo").value_or("");
  auto at = text.find("MemTotal:");
  if (at == std::string::npos) return UINT64_MAX;
  return std::strtoull(text.c_str() + at + 9, nullptr, 10) << 10;
}

MmapBenchConfig parse_config(const MmapArgs& a) {
  MmapBenchConfig c;
  auto page = parse_size(a.page);
  if (!page || (*page != 4096 && *page != (2ull << 20) && *page != (1ull << 30)))
    throw UsageError(
        fmt::format("--page: '{}' is not a page size; allowed: 4KB, 2MB, 1GB", a.page));
  c.page_bytes = *page;

  if (a.backing == "thp") {  // or hugetlb: checked by one_of
    const std::uint64_t pmd = thp_pmd_bytes();
    if (pmd == 0)
      throw SetupError(
          "--backing thp: this kernel has no transparent huge pages "
          "(/sys/kernel/mm/transparent_hugepage is missing); use --backing hugetlb");
    if (c.page_bytes != pmd)
      throw UsageError(
          fmt::format("--page: '{}' with --backing thp; allowed with --backing thp: {} (the PMD "
                      "size, hpage_pmd_size)",
                      a.page, compact_size(pmd)));
    c.backing = MmapBacking::thp;
  } else {
    c.backing = c.page_bytes == 4096 ? MmapBacking::base : MmapBacking::hugetlb;
  }

  c.fault = a.fault == "demand" ? MmapFault::demand : MmapFault::populate;

  const std::string page_text = compact_size(c.page_bytes);
  const std::string size_allowed =
      fmt::format("a positive multiple of the page size {}, e.g. 1GB", page_text);
  auto size = parse_size(a.size);
  if (!size)
    throw UsageError(fmt::format("--size: '{}' is not a size; allowed: {}", a.size, size_allowed));
  if (*size == 0)
    throw UsageError(fmt::format("--size: '{}' is zero; allowed: {}", a.size, size_allowed));
  if (*size % c.page_bytes != 0)
    throw UsageError(fmt::format("--size: '{}' is not a multiple of the page size {}; allowed: {}",
                                 a.size, page_text, size_allowed));
  if (const std::uint64_t total = mem_total_bytes(); *size > total)
    throw UsageError(
        fmt::format("--size: '{}' is more than this machine's memory (MemTotal {} MiB); allowed: "
                    "a multiple of {} up to that",
                    a.size, total >> 20, page_text));
  c.size_bytes = *size;

  c.loops = a.loops;
  c.warmup = a.warmup;

  const std::string offset_allowed = fmt::format(
      "first, random, or a byte offset in [0, {}] (below the page size)", c.page_bytes - 1);
  if (a.offset == "first") {
    c.offset = MmapOffset::first;
  } else if (a.offset == "random") {
    c.offset = MmapOffset::random;
  } else {
    c.offset = MmapOffset::fixed;
    auto v = parse_u64(a.offset);
    if (!v)
      throw UsageError(
          fmt::format("--offset: '{}' is not a number; allowed: {}", a.offset, offset_allowed));
    if (*v >= c.page_bytes)
      throw UsageError(
          fmt::format("--offset: {} is out of range; allowed: {}", a.offset, offset_allowed));
    c.offset_bytes = *v;
  }
  if (a.seed_given) {
    if (c.offset != MmapOffset::random)
      throw UsageError(
          "--seed: applies only with --offset random; allowed: drop --seed, or add --offset "
          "random");
    c.seed = a.seed;
  }

  if (a.reserve_hugetlb && c.backing != MmapBacking::hugetlb)
    throw UsageError("--reserve-hugetlb: applies only to --backing hugetlb with --page 2MB or 1GB");
  if (a.enable_mthp && c.backing != MmapBacking::thp)
    throw UsageError("--enable-mthp: applies only to --backing thp");
  return c;
}

void flush_stdout() {
  if (std::fflush(stdout) != 0 || std::ferror(stdout))
    throw std::runtime_error(
        fmt::format("writing the results to stdout failed ({}); nothing more was measured",
                    std::strerror(errno)));
}

int run_mmap_bench_cmd(const MmapArgs& a) {
  install_restore_on_signal();
  set_wait_for_setting_owners(a.wait, [](const std::string& line) {
    fmt::print(stderr, "zeroscope mmap-bench: {}\n", line);
  });

  MmapBenchConfig cfg = parse_config(a);
  print_emulation_notice("mmap-bench");
  const WarmupChoice warmup =
      choose_warmup(read_vm_signs(), a.warmup_given ? std::optional(a.warmup) : std::nullopt);
  cfg.warmup = warmup.loops;
  // Both restore their settings when this function returns, throws, or a
  // signal ends the run.
  HugetlbReservation pool =
      cfg.backing == MmapBacking::hugetlb
          ? ensure_hugetlb_pages(cfg.page_bytes, cfg.size_bytes / cfg.page_bytes, a.reserve_hugetlb)
          : HugetlbReservation{};
  std::optional<MthpEnable> mthp;
  if (cfg.backing == MmapBacking::thp) {
    if (a.enable_mthp)
      mthp.emplace(cfg.page_bytes);
    else if (auto why = thp_size_unusable(cfg.page_bytes))
      throw SetupError(*why);
  }
  probe_mmap_bench(cfg);

  fmt::print("{}", format_header(cfg, a.size, warmup.why));
  flush_stdout();
  auto results = run_mmap_bench(cfg, [&](const MmapLoopResult& r) {
    auto rate = gib_per_sec(cfg.size_bytes, r.ns);
    if (!rate)
      throw std::runtime_error("the clock did not advance over a loop; no rate can be given");
    fmt::print("{}", format_rate(*rate));
    flush_stdout();
  });
  fmt::print("{}", format_summary(cfg, results));
  flush_stdout();
  return 0;
}
}  // namespace

Runner add_mmap_bench(CLI::App& app) {
  auto a = std::make_shared<MmapArgs>();
  CLI::App* sub = app.add_subcommand(
      "mmap-bench",
      "Demand-fault bandwidth, as 'perf bench mem mmap' measures it: per loop, mmap + one write "
      "per page, "
      "timed together (munmap is not). GB/sec is perf's: bytes / seconds / 2^30, so GB means GiB");
  sub->add_option("--page", a->page,
                  "4KB | 2MB | 1GB (default 4KB: base pages with MADV_NOHUGEPAGE)");
  sub->add_option(
         "--backing", a->backing,
         "hugetlb | thp (default hugetlb: MAP_HUGETLB; thp: 2 MiB-aligned MADV_HUGEPAGE mapping, "
         "needs --page 2MB)")
      ->check(one_of({"hugetlb", "thp"}));
  sub->add_option(
      "--size", a->size,
      "bytes mapped per loop, a multiple of --page (default 1GB; units B KB MB GB, binary)");
  sub->add_option("--loops", a->loops, "loops, each mapping afresh (default 1)")
      ->check(within(limits::loops));
  sub->add_option(
         "--warmup", a->warmup,
         "untimed loops first, not reported (default 0, as perf; 1 where the machine shows a "
         "hypervisor or free page reporting, whose first loop after a pause pays host "
         "faults)")
      ->check(within(limits::warmup));
  sub->add_option(
         "--fault", a->fault,
         "demand | populate (default demand; populate: MAP_POPULATE, or MADV_POPULATE_WRITE after "
         "the advice)")
      ->check(one_of({"demand", "populate"}));
  sub->add_option("--offset", a->offset,
                  "first | random | N: byte written in each page (default first)");
  sub->add_option("--seed", a->seed, "seed of --offset random (default 1)")
      ->check(within(limits::seed));
  sub->add_flag("--reserve-hugetlb", a->reserve_hugetlb,
                "raise nr_hugepages for the run if the pool is short (root); restored at exit");
  sub->add_flag("--enable-mthp", a->enable_mthp,
                "with --backing thp: set THP 'enabled' to madvise for the run if it is 'never' "
                "(root); restored "
                "at exit");
  sub->add_flag("--wait", a->wait, kWaitHelp);
  return [sub, a]() {
    if (!sub->parsed()) return -1;
    a->seed_given = sub->count("--seed") > 0;
    a->warmup_given = sub->count("--warmup") > 0;
    return run_mmap_bench_cmd(*a);
  };
}

}  // namespace zs::cli
