// The counters of one run: the metrics asked for, opened for the measuring
// thread as perf_event groups, split into passes when there are more
// hardware events than the PMU has counters (a sample is measured in one
// pass; the pass is recorded with it), each privilege-filterable metric
// counted twice (user: exclude_kernel, kernel: exclude_user) when kernel
// counting is allowed. start()/stop() bracket a phase: two snapshots, the
// difference is the phase's count. Allocation-free after construction.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "counters/counters.h"
#include "counters/events.h"
#include "counters/perf_event_fd.h"

namespace zs {

inline constexpr std::size_t kMaxCounterColumns = 32;

// One phase's counts. Column i is valid when bit i of `valid` is set;
// otherwise it was not counted in this sample (another pass, or missing).
struct CounterValues {
  std::array<std::uint64_t, kMaxCounterColumns> value{};
  std::uint32_t valid = 0;
  bool multiplexed = false;  // the hardware group was off its counters part of the phase
  std::uint8_t pass = 0;
  bool has(std::size_t col) const { return (valid >> col) & 1u; }
};

struct CounterColumn {
  std::string name;  // "llc_misses" (user, or unfiltered), "llc_misses_kernel"
  std::string metric;
  bool kernel = false;
  std::string unit;
  double scale = 1.0;  // count x scale = unit (RAPL energy: 2^-32 J per count)
};

struct MissingMetric {
  std::string column;  // "llc_misses" or "llc_misses_kernel"
  std::string reason;
};

class CounterSet {
 public:
  struct Options {
    std::vector<std::string> metrics;  // empty = every metric of the event file
    bool use_user_reads = true;        // rdpmc / perf_user_access where the page allows
  };
  // Opens what can be opened; what cannot is recorded in missing() with its
  // reason. Throws SetupError for a metric name that does not exist.
  CounterSet(const EventFile& events, const PmuAccess& access, const Options& opt);
  ~CounterSet();
  CounterSet(const CounterSet&) = delete;
  CounterSet& operator=(const CounterSet&) = delete;

  // Every column a sample can carry (counted or missing), in a fixed order.
  const std::vector<CounterColumn>& columns() const { return columns_; }
  const std::vector<MissingMetric>& missing() const { return missing_; }
  bool kernel_counting() const { return kernel_; }
  std::size_t passes() const { return passes_.size(); }
  std::string describe_passes() const;  // "pass 0: cycles, instructions, ...; pass 1: ..."
  std::string read_path() const;        // "rdpmc (user page)" or "read()"
  bool empty() const { return passes_.empty(); }

  // Enables pass p's groups and disables the others (outside the phases:
  // it costs system calls).
  void set_pass(std::size_t p);
  std::size_t pass() const { return current_; }

  void start();
  void stop(CounterValues& out);

 private:
  struct Event;
  struct Group;
  struct Pass;
  void snapshot(Pass& p, bool at_start);

  std::vector<CounterColumn> columns_;
  std::vector<MissingMetric> missing_;
  std::vector<std::unique_ptr<Pass>> passes_;
  std::size_t current_ = 0;
  bool kernel_ = false;
  bool user_reads_ = false;
};

}  // namespace zs
