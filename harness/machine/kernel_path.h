// How the running kernel zeroes each huge folio it can fault, as the
// zeroscope strategy that replicates it: a pure table over the kernel's
// release, preemption model, init_on_alloc, MAX_PAGE_ORDER and cache
// aliasing (the facts and their sources: docs/kernel-zeroing.md). A release
// or setting the table does not cover gives no strategy and the reason,
// never a guess. kernel_path_inputs() reads this machine's inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace zs {

struct KernelFacts;

struct KernelPathInputs {
  std::string release;                    // uname -r: "6.18.44-fc-v669", "7.0.0-rc3"
  std::string arch;                       // uname -m
  std::optional<std::string> preemption;  // none | voluntary | full | lazy | rt
  std::string preemption_source;
  std::optional<bool> init_on_alloc;
  std::string init_on_alloc_source;
  std::optional<unsigned> max_page_order;
  std::string max_page_order_source;
  std::optional<bool> caches_alias;
  std::string caches_alias_source;
  std::uint64_t page_size = 4096;
  std::uint64_t thp_pmd_bytes = 0;           // 0: no THP
  std::vector<std::uint64_t> mthp_sizes;     // every anonymous size offered (PMD size included)
  std::vector<std::uint64_t> hugetlb_sizes;  // every hugetlb page size
};

struct KernelZeroing {
  std::string backing;                  // "thp" | "mthp" | "hugetlb"
  std::uint64_t folio_size = 0;         // bytes
  std::optional<std::string> strategy;  // a zeroscope strategy name; nullopt: not covered (reason)
  std::optional<std::uint64_t> width, batch;  // pages; nullopt where the strategy takes none
  std::string function;                       // "process_huge_page", "folio_zero_user", ...
  std::string source;                         // what decided it (release, preemption model, ...)
  std::string reason;                         // why strategy is nullopt ("" otherwise)
};

struct KernelRelease {
  unsigned major = 0, minor = 0;
};
// "6.18.44-fc-v669" -> 6.18, "7.0.0-rc3" -> 7.0, "5.4" -> 5.4; nullopt otherwise.
std::optional<KernelRelease> parse_kernel_release(std::string_view release);

// One entry per (backing, folio size) the kernel can fault: THP at the PMD
// size, mTHP at each offered size, hugetlb at each page size.
std::vector<KernelZeroing> kernel_zeroing(const KernelPathInputs& in);

// The entry for one backing and size, nullptr when the kernel cannot fault it here.
const KernelZeroing* find_kernel_zeroing(const std::vector<KernelZeroing>& table,
                                         std::string_view backing, std::uint64_t folio_size);

// {backing, folio_size, strategy, width, batch, function, source, reason?}
nlohmann::json to_json(const KernelZeroing& z);

// This machine's inputs, from its facts and its THP/hugetlb sizes.
KernelPathInputs kernel_path_inputs(const KernelFacts& facts);

// This machine's table (read once per process; tests may replace it).
const std::vector<KernelZeroing>& this_kernel_zeroing();
void set_this_kernel_zeroing_for_test(std::optional<std::vector<KernelZeroing>> table);

}  // namespace zs
