// Hardware and software counters per measured phase, through perf_event:
// metrics opened as groups read with PERF_FORMAT_GROUP | ID |
// TOTAL_TIME_ENABLED | TOTAL_TIME_RUNNING, user and kernel counts kept apart
// where the kernel lets us count the kernel, a group that did not run the
// whole phase flagged `multiplexed` (never scaled), and every metric that
// cannot be counted reported missing with its reason, never as 0.
#pragma once

#include <linux/perf_event.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "counters/events.h"

namespace zs {

// What the kernel lets this process count, probed with perf_event_open
// rather than assumed.
struct PmuAccess {
  bool hardware = false;     // a hardware cycles event opens for this task
  std::string hardware_why;  // e.g. "no hardware PMU: the kernel exposes software events only
                             // (perf_event_open: ENOENT)"
  int paranoid = 2;          // /proc/sys/kernel/perf_event_paranoid
  bool kernel = false;       // kernel-mode counting allowed (paranoid <= 1, CAP_PERFMON or root)
  std::string kernel_why;
  std::string rdpmc;  // /sys/bus/event_source/devices/cpu/rdpmc ("1", "2", "" when absent)
  int counters = -1;  // general-purpose counters per thread, -1 unknown
  std::string counters_source;
};
PmuAccess probe_pmu_access();

// One metric of the event file as it stands on this machine.
struct MetricStatus {
  std::string metric;
  bool available = false;
  bool kernel_split = false;  // counted twice: user (exclude_kernel) and kernel (exclude_user)
  std::string via;            // the encoding used
  std::string meaning;        // from the event file
  std::string reason;         // why unavailable
};
// Encodes and test-opens every metric of `events`.
std::vector<MetricStatus> probe_metrics(const EventFile& events, const PmuAccess& access);

// The parsed content of one PERF_FORMAT_GROUP | ID | TOTAL_TIME_ENABLED |
// TOTAL_TIME_RUNNING read: {nr, time_enabled, time_running, {value, id}[nr]}.
struct GroupRead {
  std::uint64_t time_enabled = 0, time_running = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> values;  // (id, value)
  // The group was scheduled out part of the time: its values are not the
  // phase's counts (never scaled); running == 0 means it never ran.
  bool multiplexed() const { return time_running < time_enabled; }
  bool never_ran() const { return time_running == 0; }
};
// nullopt for a buffer that is short or inconsistent with its nr.
std::optional<GroupRead> parse_group_read(std::span<const std::byte> buf);

// The same read without copying, for the measuring path: words[0] = nr,
// [1] = time_enabled, [2] = time_running, then (value, id) pairs.
struct GroupReadView {
  const std::uint64_t* words = nullptr;
  std::uint64_t nr = 0;
  std::uint64_t time_enabled() const { return words[1]; }
  std::uint64_t time_running() const { return words[2]; }
  std::uint64_t value(std::size_t i) const { return words[3 + 2 * i]; }
  std::uint64_t id(std::size_t i) const { return words[4 + 2 * i]; }
};
std::optional<GroupReadView> view_group_read(const std::uint64_t* words, std::size_t n_words);

}  // namespace zs
