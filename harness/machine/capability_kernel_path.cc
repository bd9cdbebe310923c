// The record's facts about how this kernel zeroes huge folios (kernel.*):
// each fact with its source, and the table they give (kernel_path.h).
#include "machine/capability_record.h"
#include "machine/kernel_facts.h"
#include "machine/kernel_path.h"

namespace zs::capability {

using nlohmann::json;

namespace {

// {value, source}: an unknown value is null with its reason under
// "missing", as every field of the record.
void bool_fact(Record& r, const std::string& path, const BoolFact& f) {
  r.maybe(path + ".value", f.value, f.source);
  r.set(path + ".source", f.source);
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
  bool_fact(r, "kernel.init_on_alloc", f.init_on_alloc);
  bool_fact(r, "kernel.init_on_free", f.init_on_free);
  r.maybe("kernel.max_page_order", f.max_page_order.order, f.max_page_order.source);
  r.set("kernel.max_page_order_source", f.max_page_order.source);
  const FreePageReporting& fpr = f.free_page_reporting;
  r.set("kernel.free_page_reporting.active", fpr.active);
  r.maybe("kernel.free_page_reporting.order", fpr.order, fpr.source);
  r.set("kernel.free_page_reporting.source", fpr.source);
  bool_fact(r, "kernel.caches_alias", f.caches_alias);
  // Its nulls are not unread fields: width and batch a strategy does not
  // take, and a strategy the table does not cover (with its `reason`).
  json table = json::array();
  for (const KernelZeroing& z : kernel_zeroing(kernel_path_inputs(f))) table.push_back(to_json(z));
  r.set("kernel.zeroing", table);
}

}  // namespace zs::capability
