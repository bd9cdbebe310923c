#include "counters/counter_set.h"

#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "common/errors.h"
#include "counters/user_page_read.h"
#include "platform/platform.h"

namespace zs {

struct CounterSet::Event {
  PerfEventFd fd;
  std::size_t column = 0;
};

struct CounterSet::Group {
  std::vector<Event> events;  // events[0] leads
  bool hardware = false;      // uses PMU counters: multiplexing applies, user reads possible
  bool cpu_wide = false;
  // Snapshots, preallocated: the measuring path does not allocate.
  std::array<std::uint64_t, 3 + 2 * kMaxCounterColumns> buf{};
  std::array<std::uint64_t, kMaxCounterColumns> start{};
  std::array<std::uint64_t, kMaxCounterColumns> off_start{};
  std::uint64_t enabled0 = 0, running0 = 0;
  bool user_start = false;  // the start snapshot came from the user pages
  bool ok = false;
};

struct CounterSet::Pass {
  std::vector<Group> groups;
  std::vector<std::string> metrics;
};

namespace {

struct Variant {
  perf_event_attr attr;
  std::size_t column;
  MetricScope scope;
  std::string metric;
};

perf_event_attr group_attr(perf_event_attr a, bool leader) {
  a.size = sizeof a;
  a.disabled = leader ? 1 : 0;
  a.exclude_hv = 1;
  a.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID | PERF_FORMAT_TOTAL_TIME_ENABLED |
                  PERF_FORMAT_TOTAL_TIME_RUNNING;
  return a;
}

}  // namespace

CounterSet::CounterSet(const EventFile& events, const PmuAccess& access, const Options& opt)
    : kernel_(access.kernel) {
  std::vector<std::string> wanted = opt.metrics;
  if (wanted.empty())
    for (const MetricDef& m : events.metrics) wanted.push_back(m.metric);
  const auto& known = known_metrics();
  const int cpu = std::max(0, sched_getcpu());

  std::vector<Variant> hw, sw, wide;
  auto add_column = [&](const std::string& name, const std::string& metric, bool kernel,
                        const std::string& unit, double scale) {
    if (columns_.size() == kMaxCounterColumns)
      throw SetupError(fmt::format("too many counter columns (at most {}); ask for fewer metrics",
                                   kMaxCounterColumns));
    columns_.push_back({name, metric, kernel, unit, scale});
    return columns_.size() - 1;
  };
  for (const std::string& name : wanted) {
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw SetupError(
          fmt::format("metric '{}' does not exist; known: {}", name, fmt::join(known, ", ")));
    const MetricDef* m = events.find(name);
    if (m == nullptr) {
      missing_.push_back({name, fmt::format("not mapped for {} ({})", events.uarch, events.path)});
      continue;
    }
    EncodeResult enc = encode_metric(*m);
    const bool split = m->privilege_filter;
    if (!enc.event) {
      missing_.push_back({name, enc.error});
      if (split) missing_.push_back({name + "_kernel", enc.error});
      continue;
    }
    const bool wide_scope = cpu_wide(m->scope);
    auto& list = wide_scope ? wide : m->scope == MetricScope::software ? sw : hw;
    // Test-open each variant alone: what cannot be counted is missing with
    // the kernel's reason, not a hole discovered in the middle of a run.
    auto try_variant = [&](perf_event_attr a, const std::string& column, bool kernel_col) {
      perf_event_attr probe = group_attr(a, true);
      PerfEventFd fd(probe, wide_scope ? -1 : 0, wide_scope ? cpu : -1, -1);
      if (!fd.valid()) {
        missing_.push_back({column, perf_open_error(fd.error(), probe, access.paranoid)});
        return;
      }
      list.push_back(
          {a, add_column(column, name, kernel_col, m->unit, enc.event->scale), m->scope, name});
    };
    perf_event_attr a = enc.event->attr;
    if (split) {
      a.exclude_kernel = 1;
      try_variant(a, name, false);
      if (access.kernel) {
        a.exclude_kernel = 0;
        a.exclude_user = 1;
        try_variant(a, name + "_kernel", true);
      } else {
        missing_.push_back(
            {name + "_kernel", "kernel-mode counting not allowed: " + access.kernel_why});
      }
    } else if (access.kernel || wide_scope) {
      // No user/kernel split: counted whole, the kernel included (CPU-wide
      // events have their own permission check in the test-open).
      a.exclude_kernel = 0;
      try_variant(a, name, false);
    } else {
      // A user-only count of an event the kernel records in kernel mode
      // (context switches) would read 0: missing, not zero.
      missing_.push_back(
          {name, "counted whole (no user/kernel split), which needs kernel-mode counting: " +
                     access.kernel_why});
    }
  }

  // Hardware events share the PMU's counters: as many passes as needed.
  const std::size_t capacity = access.counters > 0 ? std::size_t(access.counters) : 4;
  const std::size_t n_passes = std::max<std::size_t>(1, (hw.size() + capacity - 1) / capacity);
  if (hw.empty() && sw.empty() && wide.empty()) return;
  for (std::size_t p = 0; p < n_passes; ++p) {
    auto pass = std::make_unique<Pass>();
    auto open_group = [&](const std::vector<Variant>& vs, bool hardware, bool cpu_wide) {
      if (vs.empty()) return;
      Group g;
      g.hardware = hardware;
      g.cpu_wide = cpu_wide;
      int leader = -1;
      for (const Variant& v : vs) {
        PerfEventFd fd(group_attr(v.attr, leader < 0), cpu_wide ? -1 : 0, cpu_wide ? cpu : -1,
                       leader);
        if (!fd.valid()) {
          // Alone it opened; in a group it does not (a group the PMU
          // cannot schedule at all): missing, with the reason.
          missing_.push_back(
              {columns_[v.column].name, "cannot join its counter group: " +
                                            perf_open_error(fd.error(), v.attr, access.paranoid)});
          continue;
        }
        if (leader < 0) leader = fd.fd();
        if (hardware && opt.use_user_reads) fd.map_page();
        pass->metrics.push_back(columns_[v.column].name);
        g.events.push_back(Event{std::move(fd), v.column});
      }
      if (!g.events.empty()) pass->groups.push_back(std::move(g));
    };
    std::vector<Variant> chunk(
        hw.begin() + std::ptrdiff_t(std::min(hw.size(), p * capacity)),
        hw.begin() + std::ptrdiff_t(std::min(hw.size(), (p + 1) * capacity)));
    open_group(chunk, true, false);
    open_group(sw, false, false);  // software events cost no counter: in every pass
    if (p == 0)
      for (const Variant& v : wide) open_group({v}, false, true);  // each its own CPU-wide group
    passes_.push_back(std::move(pass));
  }
  user_reads_ = opt.use_user_reads;
  set_pass(0);
}

CounterSet::~CounterSet() = default;

void CounterSet::set_pass(std::size_t p) {
  current_ = p < passes_.size() ? p : 0;
  for (std::size_t i = 0; i < passes_.size(); ++i)
    for (Group& g : passes_[i]->groups) {
      g.user_start = false;
      ioctl(g.events.front().fd.fd(),
            i == current_ ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, PERF_IOC_FLAG_GROUP);
    }
}

std::string CounterSet::describe_passes() const {
  std::string s;
  for (std::size_t p = 0; p < passes_.size(); ++p)
    s += fmt::format("{}pass {}: {}", p ? "; " : "", p, fmt::join(passes_[p]->metrics, ", "));
  return s.empty() ? "no counters" : s;
}

std::string CounterSet::read_path() const {
  for (const auto& p : passes_)
    for (const Group& g : p->groups)
      if (g.hardware && user_reads_ && g.events.front().fd.page() &&
          g.events.front().fd.page()->cap_user_rdpmc)
        return "user-space counter reads (rdpmc / perf_user_access), read() fallback";
  return "read() of the group";
}

void CounterSet::snapshot(Pass& pass, bool at_start) {
  for (Group& g : pass.groups) {
    // The cheap path: every event of a hardware group on its counter now.
    if (g.hardware && user_reads_) {
      bool all = true;
      std::array<UserPageCount, kMaxCounterColumns> got{};
      for (std::size_t i = 0; i < g.events.size() && all; ++i) {
        const perf_event_mmap_page* pg = g.events[i].fd.page();
        auto c = pg ? read_user_page(pg, platform::read_pmc) : std::nullopt;
        if (c) got[i] = *c;
        all = all && c.has_value();
      }
      if (all && (at_start || g.user_start)) {
        for (std::size_t i = 0; i < g.events.size(); ++i) {
          if (at_start) {
            g.start[i] = got[i].count;
            g.off_start[i] = got[i].off_time;
          } else {
            g.buf[3 + 2 * i] = got[i].count;
            g.buf[4 + 2 * i] = got[i].off_time;  // reused as scratch: see stop()
          }
        }
        if (at_start) g.user_start = true;
        g.ok = true;
        continue;
      }
      if (!at_start && g.user_start) {
        // Started on the counters, not on them now: it was descheduled.
        g.ok = false;
        continue;
      }
      g.user_start = false;
    }
    const ssize_t n = read(g.events.front().fd.fd(), g.buf.data(), sizeof g.buf);
    auto v = n > 0 ? view_group_read(g.buf.data(), std::size_t(n) / 8) : std::nullopt;
    g.ok = v.has_value() && v->nr == g.events.size();
    if (!g.ok) continue;
    if (at_start) {
      g.enabled0 = v->time_enabled();
      g.running0 = v->time_running();
      for (std::size_t i = 0; i < v->nr; ++i)
        for (std::size_t e = 0; e < g.events.size(); ++e)
          if (g.events[e].fd.id() == v->id(i)) g.start[e] = v->value(i);
    }
  }
}

void CounterSet::start() {
  if (passes_.empty()) return;
  snapshot(*passes_[current_], true);
}

void CounterSet::stop(CounterValues& out) {
  out.valid = 0;
  out.multiplexed = false;
  out.pass = static_cast<std::uint8_t>(current_);
  if (passes_.empty()) return;
  Pass& pass = *passes_[current_];
  // Remember which groups started well; the end snapshot reuses `ok`.
  std::array<bool, 16> started{};
  for (std::size_t gi = 0; gi < pass.groups.size() && gi < started.size(); ++gi)
    started[gi] = pass.groups[gi].ok;
  snapshot(pass, false);
  for (std::size_t gi = 0; gi < pass.groups.size(); ++gi) {
    Group& g = pass.groups[gi];
    if (gi < started.size() && !started[gi]) continue;
    if (!g.ok) {
      if (g.hardware) out.multiplexed = true;  // descheduled mid-phase: no valid count
      continue;
    }
    if (g.user_start) {
      for (std::size_t i = 0; i < g.events.size(); ++i) {
        out.value[g.events[i].column] = g.buf[3 + 2 * i] - g.start[i];
        out.valid |= 1u << g.events[i].column;
        if (g.buf[4 + 2 * i] != g.off_start[i]) out.multiplexed = true;
      }
      continue;
    }
    auto v = view_group_read(g.buf.data(), g.buf.size());
    if (!v) continue;
    const bool mux = (v->time_running() - g.running0) < (v->time_enabled() - g.enabled0);
    if (mux && g.hardware) out.multiplexed = true;
    for (std::size_t i = 0; i < v->nr; ++i)
      for (std::size_t e = 0; e < g.events.size(); ++e)
        if (g.events[e].fd.id() == v->id(i)) {
          out.value[g.events[e].column] = v->value(i) - g.start[e];
          out.valid |= 1u << g.events[e].column;
        }
  }
}

}  // namespace zs
