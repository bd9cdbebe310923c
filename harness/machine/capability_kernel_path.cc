// The record's facts about how this kernel zeroes huge folios (kernel.*):
// each fact with its source, and the table they give (kernel_path.h).
#include "machine/capability_record.h"
#include "machine/kernel_facts.h"
#include "machine/kernel_path.h"

namespace zs::capability {

using nlohmann::json;

namespace {

json bool_fact(const BoolFact& f) {
  return {{"value", f.value ? json(*f.value) : json(nullptr)}, {"source", f.source}};
}

}  // namespace

void kernel_zeroing_section(Record& r) {
  const KernelFacts f = read_kernel_facts();
  // The live setting when debugfs shows it, else what the boot line or the
  // build says, each with its source.
  const PreemptModel& p = f.preemption;
  r.maybe("kernel.preemption.model", p.model, p.why);
  r.set("kernel.preemption.source", p.source);
  r.set("kernel.preemption.dynamic", p.dynamic);
  r.set("kernel.preemption.dynamic_source", p.dynamic_source);
  r.set("kernel.init_on_alloc", bool_fact(f.init_on_alloc));
  r.set("kernel.init_on_free", bool_fact(f.init_on_free));
  r.maybe("kernel.max_page_order", f.max_page_order.order, f.max_page_order.source);
  r.set("kernel.max_page_order_source", f.max_page_order.source);
  const FreePageReporting& fpr = f.free_page_reporting;
  r.set("kernel.free_page_reporting", {{"active", fpr.active},
                                       {"order", fpr.order ? json(*fpr.order) : json(nullptr)},
                                       {"source", fpr.source}});
  r.set("kernel.caches_alias", bool_fact(f.caches_alias));
  json table = json::array();
  for (const KernelZeroing& z : kernel_zeroing(kernel_path_inputs(f))) table.push_back(to_json(z));
  r.set("kernel.zeroing", table);
}

}  // namespace zs::capability
