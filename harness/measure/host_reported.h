// Host-reported memory (axis `memory`): in a VM with virtio-balloon free
// page reporting, blocks of at least 2^page_reporting_order free pages that
// stay free for about two seconds are reported to the host, which discards
// them; the next fault the host serves from zero-filled memory of its own.
// A host-reported sample gives a folio and enough pool memory around it back
// to the kernel to form such blocks, waits past the reporting delay, and
// only then lets the folio be faulted (kernel-fault) or re-populated
// (replicas). All of it outside the timed phases. docs/host-reported.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace zs {

class FolioPool;

enum class Memory { recycled, host_reported };
std::optional<Memory> parse_memory(std::string_view s);
const char* to_string(Memory m);

// The blocks of the reporting order a sample frees, at least: one block can
// be split or merged away by other allocations; four leave some whole.
inline constexpr std::uint64_t kReportBlocks = 4;
// The default of the `report_wait` setting: past the kernel's ~2 s delay.
inline constexpr double kDefaultReportWaitS = 3.0;

// How many folios of `folio_bytes` to give back so that `blocks` blocks of
// 2^order pages of `page_bytes` fit in them, and so that re-populating all
// but one of them takes more than `pcp_pages` (what the per-CPU free lists
// may hold), at most `pool_count`.
std::size_t folios_to_give_back(std::uint64_t folio_bytes, std::uint64_t page_bytes, unsigned order,
                                std::size_t pool_count, std::uint64_t blocks = kReportBlocks,
                                std::uint64_t pcp_pages = 0);

// The largest per-CPU free list limit ("high:") of /proc/zoneinfo's text, in
// pages; 0 when there is none.
std::uint64_t max_pcp_high(std::string_view zoneinfo);

// Gives folio i and the folios after it (round-robin, those the pool hands
// out next) back to the kernel, waits, then re-populates the others. Not
// timed. A freed THP-sized folio first lands on a per-CPU free list, which
// is never reported, and the next fault of that size takes the newest entry
// there: re-populating the others first empties those lists of the freed
// folios, so the sample's fault is served from the buddy lists, whose
// blocks have been free, and reported, for the whole wait.
class HostReportedGiveBack {
 public:
  HostReportedGiveBack(FolioPool& pool, unsigned order, double wait_s);
  void give_back(std::size_t i);
  std::size_t folios() const { return n_; }

 private:
  FolioPool& pool_;
  unsigned order_;
  std::size_t n_ = 0;  // of the last give_back
  double wait_s_;
};

}  // namespace zs
