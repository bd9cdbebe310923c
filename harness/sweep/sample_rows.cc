#include "sweep/sample_rows.h"

#include <cstring>

#include <fmt/format.h>

#include "counters/counter_set.h"
#include "platform/platform.h"

namespace zs {

std::string left_out_reason(const Point& p, const Sample& s) {
  if (p.backing != Backing::base) {
    if (!s.backing.verified) return "backing unverified";
    if (!s.backing.huge) return "not huge";
  }
  for (const auto* r : {&s.zero, &s.fault, &s.access})
    if (*r && (*r)->counters.multiplexed) return "multiplexed";
  if (s.alias_errno != 0)
    return fmt::format("alias map/unmap failed: {}", std::strerror(s.alias_errno));
  return "";
}

std::vector<std::string> sample_phases(const Point& p) {
  return {p.kernel_fault() ? "fault" : "zero", "access"};
}

SamplesLayout samples_layout(const CounterSet* counters) {
  SamplesLayout l;
  if (counters == nullptr) return l;
  for (const CounterColumn& c : counters->columns()) l.counters.push_back(c.name);
  for (const MissingMetric& m : counters->missing()) l.counters.push_back(m.column);
  return l;
}

std::vector<SampleRow> sample_rows(const Point& p, const std::string& key,
                                   std::string_view primitive, const Sample& s,
                                   const RowContext& ctx, const std::string& left_out) {
  std::vector<SampleRow> rows;
  const CounterSet* counters = ctx.counters;
  const bool has_tsc = !platform::timestamp_name().empty();
  auto row = [&](const char* phase, const std::optional<PhaseReading>& r) {
    if (!r) return;
    SampleRow x;
    x.key = key;
    x.backing = to_string(p.backing);
    x.folio_size = p.folio_bytes;
    x.strategy = p.strategy.name();
    x.primitive = primitive;
    x.target = s.target_page;
    x.access = to_string(p.access.pattern);
    x.op = to_string(p.access.op);
    x.cache = to_string(p.cache);
    x.evict = to_string(p.evict);
    x.batch = p.batch;
    x.width = p.width;
    x.rep = s.rep;
    x.phase = phase;
    x.ns = r->ns;
    if (has_tsc) x.tsc = r->tsc;
    if (counters != nullptr) {
      for (std::size_t c = 0; c < counters->columns().size(); ++c)
        x.counters.push_back(
            r->counters.has(c)
                ? std::optional<double>(double(r->counters.value[c]) * counters->columns()[c].scale)
                : std::nullopt);
      x.counters.resize(x.counters.size() + counters->missing().size());
      if (r->counters.valid) x.multiplexed = r->counters.multiplexed;
      if (counters->passes() > 1) x.pass = r->counters.pass;
    }
    if (x.phase == "zero" && ctx.record_batches && ctx.tsc_hz) {
      x.batch_max_ns = double(s.batch_max_ticks) * 1e9 / *ctx.tsc_hz;
      x.batches = s.batches;
    }
    if (s.backing.verified) x.huge = s.backing.huge;
    x.left_out = left_out;
    if (x.phase == "fault" && s.anatomy) {
      x.fault_alloc_ns = s.anatomy->alloc_ns;
      x.fault_zero_ns = s.anatomy->zero_ns;
      x.fault_map_ns = s.anatomy->map_ns;
      x.fault_untraced = s.anatomy->why;
    }
    if (x.phase == "zero") x.alias_map_ns = s.alias_map_ns;
    if (s.settle && x.phase != "access") {
      x.host_settle_ns = s.settle->ns;
      x.host_settle_slow = s.settle->slow_pages;
    }
    rows.push_back(std::move(x));
  };
  row("zero", s.zero);
  row("fault", s.fault);
  row("access", s.access);
  return rows;
}

}  // namespace zs
