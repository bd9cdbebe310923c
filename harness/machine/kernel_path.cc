// The table of docs/kernel-zeroing.md as code. Who zeroes an anonymous
// folio: the page allocator (post_alloc_hook -> kernel_init_pages) when
// init_on_alloc is on and caches do not alias (user_alloc_needs_zeroing()
// is then false: alloc-init), else folio_zero_user() (after the allocator's
// init too where init_on_alloc is on and caches alias: `double` from 7.0);
// hugetlb always folio_zero_user().
// How folio_zero_user() orders it:
//   before 7.0: process_huge_page (left-right) up to MAX_ORDER_NR_PAGES
//               pages, clear_gigantic_page (sequential) above;
//   7.0 on:     three regions (radius 2) at every folio size (no
//               MAX_ORDER_NR_PAGES test), each in batches of 32 MiB of pages
//               under none/voluntary preemption, whole under full/lazy/rt.
#include "machine/kernel_path.h"

#include <charconv>

#include <fmt/format.h>

#include "common/units.h"
#include "strategies/strategy.h"

namespace zs {

namespace {

// process_huge_page() took its target-last order in 4.14 ("mm, huge page:
// clear target sub-page last when clearing huge page"); older kernels are
// outside the table.
constexpr KernelRelease kOldest{4, 14};
constexpr KernelRelease kFolioZeroRanges{7, 0};

bool before(KernelRelease a, KernelRelease b) {
  return a.major != b.major ? a.major < b.major : a.minor < b.minor;
}

std::string release_text(KernelRelease r) { return fmt::format("{}.{}", r.major, r.minor); }

struct Zeroer {
  std::string strategy, function, order;
  std::optional<std::uint64_t> width, batch;
  std::string why;  // not empty: not covered
  std::string source;
};

// folio_zero_user() for a folio of `pages` pages.
Zeroer folio_zero_user(const KernelPathInputs& in, KernelRelease rel, std::uint64_t pages) {
  Zeroer z;
  const std::string r = release_text(rel);
  if (before(rel, kFolioZeroRanges)) {
    if (!in.max_page_order) {
      z.why = "MAX_PAGE_ORDER unknown (" + in.max_page_order_source + ")";
      return z;
    }
    const std::uint64_t max_nr = 1ull << *in.max_page_order;
    const bool small = pages <= max_nr;
    z.source = fmt::format("release {} < 7.0; {} pages {} MAX_ORDER_NR_PAGES = {} ", r, pages,
                           small ? "<=" : ">", max_nr) +
               fmt::format("(MAX_PAGE_ORDER {}: {})", *in.max_page_order, in.max_page_order_source);
    if (small) {
      z.strategy = "left-right";
      z.function = "folio_zero_user -> process_huge_page";
      z.order = "page at a time, target last";
    } else {
      z.strategy = "sequential";
      z.function = "folio_zero_user -> clear_gigantic_page";
      z.order = "page at a time, ascending";
    }
    return z;
  }
  if (!in.preemption) {
    z.why = fmt::format(
        "release {} >= 7.0 clears in batches that depend on the preemption model, which is "
        "unknown ({})",
        r, in.preemption_source);
    return z;
  }
  const std::string& m = *in.preemption;
  std::uint64_t batch = 0;
  std::string batch_src;
  if (m == "none" || m == "voluntary") {
    // PROCESS_PAGES_NON_PREEMPT_BATCH is 32 MiB of pages where the
    // architecture has clear_pages() (x86_64 in 7.0), 1 page where not.
    if (in.arch != "x86_64") {
      z.why = fmt::format(
          "release {} >= 7.0 under preemption {} clears in batches of 32 MiB of pages where the "
          "architecture has clear_pages(), 1 page where not; which is true for {} is not in "
          "the table",
          r, m, in.arch.empty() ? "this architecture" : in.arch);
      return z;
    }
    batch = std::max<std::uint64_t>(1, kUpstreamBatchBytes / in.page_size);
    batch_src = fmt::format("preemption {} ({}): batches of {} pages (32 MiB)", m,
                            in.preemption_source, batch);
  } else if (m == "full" || m == "lazy" || m == "rt") {
    batch_src = fmt::format("preemption {} ({}): preemptible, each range in one call", m,
                            in.preemption_source);
  } else {
    z.why = fmt::format("preemption model '{}' is not one the table knows", m);
    return z;
  }
  // From 7.0 the three ranges are cleared at every folio size: the merged
  // folio_zero_user() has no MAX_ORDER_NR_PAGES test (docs/kernel-zeroing.md).
  z.batch = batch;
  z.source = fmt::format("release {} >= 7.0: three ranges at every folio size; {}", r, batch_src);
  z.strategy = "three-region";
  z.width = kUpstreamWidth;
  z.function = "folio_zero_user -> clear_contig_highpages";
  z.order = "right, left, then the target +-2 pages; contiguous ranges";
  return z;
}

KernelZeroing entry(const KernelPathInputs& in, const std::string& backing, std::uint64_t bytes) {
  KernelZeroing e;
  e.backing = backing;
  e.folio_size = bytes;
  auto fail = [&](std::string why) {
    e.reason = std::move(why);
    return e;
  };
  const auto rel = parse_kernel_release(in.release);
  if (!rel) return fail(fmt::format("kernel release '{}' is not MAJOR.MINOR[...]", in.release));
  if (before(*rel, kOldest))
    return fail(fmt::format("kernel release {} is older than {}, which the table does not cover",
                            release_text(*rel), release_text(kOldest)));
  const std::uint64_t pages = in.page_size ? bytes / in.page_size : 0;
  if (pages < 2) return fail("not a huge folio");

  Zeroer z;
  std::string prefix;
  const bool anon = backing != "hugetlb";
  if (anon) {
    // user_alloc_needs_zeroing(): caches alias, or init_on_alloc off.
    if (!in.init_on_alloc)
      return fail("init_on_alloc unknown (" + in.init_on_alloc_source +
                  "): the page allocator or folio_zero_user may zero it");
    if (*in.init_on_alloc) {
      if (!in.caches_alias)
        return fail("init_on_alloc on, and whether caches alias is unknown (" +
                    in.caches_alias_source + ")");
      if (!*in.caches_alias) {
        z.strategy = "alloc-init";
        z.function = "post_alloc_hook -> kernel_init_pages";
        z.order = "page at a time, ascending, by the page allocator";
        z.source = fmt::format("init_on_alloc on ({}); caches do not alias ({})",
                               in.init_on_alloc_source, in.caches_alias_source);
      } else {
        prefix = fmt::format(
            "init_on_alloc on ({}) and caches alias ({}): kernel_init_pages zeroes it first, "
            "then ",
            in.init_on_alloc_source, in.caches_alias_source);
      }
    } else {
      prefix = fmt::format("init_on_alloc off ({}); ", in.init_on_alloc_source);
    }
  }
  if (z.strategy.empty()) {
    z = folio_zero_user(in, *rel, pages);
    if (!z.why.empty()) return fail(z.why);
    // Zeroed twice (init_on_alloc with aliasing caches): where the fault
    // path is three-region, `double` replicates both; before 7.0 the replica
    // is of the second zeroing only, and the source says so.
    if (anon && in.init_on_alloc.value_or(false) && z.strategy == "three-region") {
      z.strategy = "double";
      z.function = "kernel_init_pages, then " + z.function;
    }
    z.source = prefix + z.source;
  }
  e.strategy = z.strategy;
  e.width = z.width;
  e.batch = z.batch;
  e.function = fmt::format("{}: {}", z.function, z.order);
  e.source = z.source;
  return e;
}

}  // namespace

std::optional<KernelRelease> parse_kernel_release(std::string_view s) {
  KernelRelease r;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  auto [q, ec] = std::from_chars(p, end, r.major);
  if (ec != std::errc() || q == end || *q != '.') return std::nullopt;
  auto [q2, ec2] = std::from_chars(q + 1, end, r.minor);
  if (ec2 != std::errc()) return std::nullopt;
  if (q2 != end && *q2 != '.' && *q2 != '-' && *q2 != '+') return std::nullopt;
  return r;
}

std::vector<KernelZeroing> kernel_zeroing(const KernelPathInputs& in) {
  std::vector<KernelZeroing> out;
  if (in.thp_pmd_bytes) out.push_back(entry(in, "thp", in.thp_pmd_bytes));
  for (std::uint64_t b : in.mthp_sizes) out.push_back(entry(in, "mthp", b));
  for (std::uint64_t b : in.hugetlb_sizes) out.push_back(entry(in, "hugetlb", b));
  return out;
}

const KernelZeroing* find_kernel_zeroing(const std::vector<KernelZeroing>& table,
                                         std::string_view backing, std::uint64_t folio_size) {
  for (const KernelZeroing& z : table)
    if (z.backing == backing && z.folio_size == folio_size) return &z;
  return nullptr;
}

nlohmann::json to_json(const KernelZeroing& z) {
  auto opt = [](const auto& o) { return o ? nlohmann::json(*o) : nlohmann::json(nullptr); };
  nlohmann::json j = {{"backing", z.backing},        {"folio_size", z.folio_size},
                      {"strategy", opt(z.strategy)}, {"width", opt(z.width)},
                      {"batch", opt(z.batch)},       {"function", z.function},
                      {"source", z.source}};
  if (!z.strategy) j["reason"] = z.reason;
  return j;
}

}  // namespace zs
