#include "counters/counters.h"

#include <sched.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "counters/perf_event_fd.h"
#include "machine/sysfs.h"
#include "platform/platform.h"

namespace zs {

namespace {
perf_event_attr simple_attr(std::uint32_t type, std::uint64_t config, bool exclude_kernel) {
  perf_event_attr a{};
  a.size = sizeof a;
  a.type = type;
  a.config = config;
  a.disabled = 1;
  a.exclude_kernel = exclude_kernel;
  a.exclude_hv = 1;
  return a;
}
}  // namespace

PmuAccess probe_pmu_access() {
  PmuAccess acc;
  if (auto p = sysfs::read("/proc/sys/kernel/perf_event_paranoid"))
    acc.paranoid = std::atoi(p->c_str());

  // Kernel-mode counting, probed with a software event that counts the
  // kernel (no PMU needed): what paranoid, CAP_PERFMON and root add up to.
  PerfEventFd k(simple_attr(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, false), 0, -1, -1);
  acc.kernel = k.valid();
  acc.kernel_why =
      acc.kernel
          ? (geteuid() == 0 ? "root"
                            : fmt::format("perf_event_paranoid {} allows it", acc.paranoid))
          : perf_open_error(k.error(), simple_attr(PERF_TYPE_SOFTWARE, 0, false), acc.paranoid);

  PerfEventFd hw(simple_attr(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, true), 0, -1, -1);
  acc.hardware = hw.valid();
  if (acc.hardware) {
    acc.hardware_why = "hardware cycles event opens for this task";
  } else if (hw.error() == ENOENT || hw.error() == ENODEV) {
    acc.hardware_why =
        "no hardware PMU: the kernel exposes software events only (perf_event_open of cycles: " +
        std::string(std::strerror(hw.error())) + ")";
  } else {
    acc.hardware_why =
        perf_open_error(hw.error(), simple_attr(PERF_TYPE_HARDWARE, 0, true), acc.paranoid);
  }
  for (const char* pmu : {"cpu", "cpu_core", "armv8_pmuv3_0"})
    if (auto r = sysfs::read(std::string("/sys/bus/event_source/devices/") + pmu + "/rdpmc")) {
      acc.rdpmc = *r;
      break;
    }
  if (!acc.hardware) {
    // What the CPU's identification says about a PMU the kernel does not
    // expose is a guess (hypervisors hide the bits that would tell):
    // unknown, not a number.
    acc.counters_source = "no usable hardware PMU";
  } else if (auto c = platform::pmu_counters()) {
    acc.counters = c->general;
    acc.counters_source = c->source;
    // The NMI watchdog keeps one x86 counter for itself.
    if (auto w = sysfs::read("/proc/sys/kernel/nmi_watchdog"); w && *w == "1" && acc.counters > 1) {
      --acc.counters;
      acc.counters_source += ", minus one for the NMI watchdog";
    }
  } else {
    acc.counters_source = "not reported by the CPU to user space";
  }
  return acc;
}

std::vector<MetricStatus> probe_metrics(const EventFile& events, const PmuAccess& access) {
  std::vector<MetricStatus> out;
  for (const MetricDef& m : events.metrics) {
    MetricStatus s;
    s.metric = m.metric;
    s.meaning = m.meaning;
    EncodeResult enc = encode_metric(m);
    if (!enc.event) {
      s.reason = enc.error;
      out.push_back(s);
      continue;
    }
    s.via = enc.event->via;
    perf_event_attr a = enc.event->attr;
    a.disabled = 1;
    a.exclude_hv = 1;
    const bool wide = cpu_wide(m.scope);
    if (m.privilege_filter) a.exclude_kernel = access.kernel ? 0 : 1;
    PerfEventFd fd(a, wide ? -1 : 0, wide ? std::max(0, sched_getcpu()) : -1, -1);
    s.available = fd.valid();
    s.kernel_split = s.available && m.privilege_filter && access.kernel;
    if (!s.available) s.reason = perf_open_error(fd.error(), a, access.paranoid);
    out.push_back(s);
  }
  return out;
}

std::optional<GroupReadView> view_group_read(const std::uint64_t* words, std::size_t n_words) {
  if (n_words < 3) return std::nullopt;
  GroupReadView v{words, words[0]};
  if (v.nr > (n_words - 3) / 2 || v.time_running() > v.time_enabled()) return std::nullopt;
  return v;
}

std::optional<GroupRead> parse_group_read(std::span<const std::byte> buf) {
  if (buf.size() % 8 != 0) return std::nullopt;
  std::vector<std::uint64_t> words(buf.size() / 8);
  std::memcpy(words.data(), buf.data(), buf.size());
  auto v = view_group_read(words.data(), words.size());
  if (!v) return std::nullopt;
  GroupRead g;
  g.time_enabled = v->time_enabled();
  g.time_running = v->time_running();
  for (std::uint64_t i = 0; i < v->nr; ++i) g.values.emplace_back(v->id(i), v->value(i));
  return g;
}

}  // namespace zs
