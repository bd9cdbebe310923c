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
#include <vector>

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
// 2^order pages of `page_bytes` fit in them (at least one folio), at most
// `pool_count`.
std::size_t folios_to_give_back(std::uint64_t folio_bytes, std::uint64_t page_bytes, unsigned order,
                                std::size_t pool_count, std::uint64_t blocks = kReportBlocks);

// Gives folio i and the folios after it (round-robin, those the pool hands
// out next) back to the kernel and waits; restore() re-populates the others
// before they are used again. Neither is timed.
class HostReportedGiveBack {
 public:
  HostReportedGiveBack(FolioPool& pool, unsigned order, double wait_s);
  // Discards folio i and the others, then sleeps wait_s.
  void give_back(std::size_t i);
  // Re-populates (and re-verifies) every folio given back but the sample's own.
  void restore();
  std::size_t folios() const { return n_; }

 private:
  FolioPool& pool_;
  std::size_t n_;
  double wait_s_;
  std::vector<std::size_t> others_;
};

}  // namespace zs
