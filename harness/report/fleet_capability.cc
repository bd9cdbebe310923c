#include "report/fleet_capability.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/units.h"
#include "report/emulation_warning.h"
#include "report/fidelity.h"
#include "report/fleet_hosts.h"
#include "report/report.h"
#include "report/report_header.h"

namespace zs {

namespace {

using nlohmann::json;

const json* at(const json& meta, const std::string& pointer) {
  const json::json_pointer p(pointer);
  return meta.contains(p) ? &meta.at(p) : nullptr;
}

std::string hex(const json* v) {
  return v != nullptr && v->is_number_unsigned() ? fmt::format("0x{:x}", v->get<unsigned>())
                                                 : "unknown";
}

bool arm64(const json& meta) {
  const json* a = at(meta, "/capability/cpu/arch");
  return a != nullptr && a->is_string() && *a == "arm64";
}

// arm64's /proc/cpuinfo has no model name: the MIDR says what the CPU is.
std::string midr(const json& meta) {
  return fmt::format(
      "implementer {} part {} variant {} revision {}", hex(at(meta, "/capability/cpu/implementer")),
      hex(at(meta, "/capability/cpu/part")), hex(at(meta, "/capability/cpu/variant")),
      hex(at(meta, "/capability/cpu/revision")));
}

std::string zeroing(const json& meta, const std::string& backing, std::uint64_t size) {
  std::string why;
  const auto p = recorded_kernel_path(meta, backing, size, why);
  if (!p) return records_kernel_path(meta) ? "none: " + why : "not recorded";
  if (!p->strategy) return "not covered: " + (p->reason.empty() ? "no reason recorded" : p->reason);
  std::string s = *p->strategy;
  if (p->width) s += fmt::format(" w{}", *p->width);
  if (p->batch) s += *p->batch == 0 ? " b=whole" : fmt::format(" b{}", *p->batch);
  return p->function.empty() ? s : fmt::format("{} ({})", s, p->function);
}

std::string clear_page(const json& meta) {
  const json* k = at(meta, "/capability/primitives/kernel");
  if (k == nullptr) return "not recorded";
  if (!k->is_string()) return "unknown";
  const json* why = at(meta, "/capability/primitives/kernel_why");
  return why != nullptr && why->is_string()
             ? fmt::format("{}: {}", k->get<std::string>(), why->get<std::string>())
             : k->get<std::string>();
}

std::string pmu(const json& meta) {
  const json* hw = at(meta, "/capability/perf/access/hardware");
  if (hw == nullptr) return "not recorded";
  const json* why = at(meta, "/capability/perf/access/hardware_why");
  const std::string reason = why != nullptr && why->is_string() ? why->get<std::string>() : "";
  if (!hw->is_boolean()) return "unknown" + (reason.empty() ? "" : ": " + reason);
  if (!hw->get<bool>()) return "no: " + (reason.empty() ? "no reason recorded" : reason);
  const json* n = at(meta, "/capability/perf/access/counters");
  return n != nullptr && n->is_number() ? fmt::format("yes ({} counters)", n->dump()) : "yes";
}

// A host that ran emulated (report/emulation_warning.h) gets the warning in
// a row of its own, first; a fleet with none has no such row.
void add_emulation_row(FleetCapability& c, const std::vector<const json*>& metas) {
  std::vector<std::string> row;
  bool any = false;
  for (const json* m : metas) {
    std::string w = emulation_warning(m->value("capability", json()));
    any = any || !w.empty();
    row.push_back(w.empty() ? "none" : "WARNING: " + w);
  }
  if (!any) return;
  c.fields.insert(c.fields.begin(), {"emulation", "emulation"});
  c.values.insert(c.values.begin(), std::move(row));
}

}  // namespace

std::string markdown_cell(const std::string& s) {
  std::string o;
  for (char ch : s) o += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return o;
}

FleetCapability fleet_capability(const std::vector<const json*>& metas,
                                 const std::vector<std::pair<std::string, std::uint64_t>>& folios) {
  FleetCapability c;
  c.fields = {{"cpu", "CPU"},
              {"vendor", "vendor"},
              {"uarch", "uarch"},
              {"id", "CPU id"},
              {"microcode", "microcode"},
              {"hypervisor", "hypervisor"},
              {"kernel", "kernel"},
              {"preemption", "preemption"},
              {"init_on_alloc", "init_on_alloc"},
              {"free_page_reporting", "free page rep."},
              {"thp", "THP"}};
  for (const auto& [backing, size] : folios)
    c.fields.push_back({fmt::format("zeroing_{}_{}", backing, size),
                        fmt::format("zeroing {} {}", backing, compact_size(size))});
  c.fields.push_back({"clear_page", "clear_page"});
  c.fields.push_back({"pmu", "PMU"});
  c.values.assign(c.fields.size(), {});
  for (const json* m : metas) {
    const MachineHeader h = machine_header(*m);
    std::vector<std::string> v = {arm64(*m) && h.at("cpu") == "unknown"
                                      ? fmt::format("unknown model name; {}", midr(*m))
                                      : h.at("cpu"),
                                  vendor_of(*m),
                                  h.at("uarch"),
                                  arm64(*m) ? midr(*m) : h.at("family_model_stepping"),
                                  h.at("microcode"),
                                  h.at("hypervisor"),
                                  h.at("kernel"),
                                  h.at("preemption"),
                                  h.at("init_on_alloc"),
                                  h.at("free_page_reporting"),
                                  h.at("thp")};
    for (const auto& [backing, size] : folios) v.push_back(zeroing(*m, backing, size));
    v.push_back(clear_page(*m));
    v.push_back(pmu(*m));
    for (std::size_t i = 0; i < v.size(); ++i) c.values[i].push_back(v[i]);
  }
  add_emulation_row(c, metas);
  return c;
}

std::string render_fleet_capability_text(const FleetCapability& c,
                                         const std::vector<std::string>& hosts) {
  std::size_t w = 0;
  for (const std::string& h : hosts) w = std::max(w, h.size());
  std::string o = "capability records (each host's meta.json):\n";
  w = std::max<std::size_t>(w, 12);
  for (std::size_t f = 0; f < c.fields.size(); ++f) {
    // A value every host shares is one line, so the differences stand out.
    const auto& v = c.values[f];
    const bool same =
        hosts.size() > 1 &&
        std::all_of(v.begin(), v.end(), [&](const std::string& x) { return x == v[0]; });
    for (std::size_t i = 0; i < (same ? 1 : hosts.size()); ++i)
      o += wrap_lines(fmt::format("  {:<18} {:<{}} {}", i == 0 ? c.fields[f].second : "",
                                  same ? "(every host)" : hosts[i], w, v[i]),
                      80, std::string(22 + w, ' '));
  }
  return o;
}

std::string render_fleet_capability_markdown(const FleetCapability& c,
                                             const std::vector<std::string>& hosts) {
  std::string o =
      fmt::format("\n### Capability records\n\n| | {} |\n|---|", fmt::join(hosts, " | "));
  for (std::size_t i = 0; i < hosts.size(); ++i) o += "---|";
  o += "\n";
  for (std::size_t f = 0; f < c.fields.size(); ++f) {
    std::vector<std::string> cells;
    for (const std::string& v : c.values[f]) cells.push_back(markdown_cell(v));
    o += fmt::format("| {} | {} |\n", c.fields[f].second, fmt::join(cells, " | "));
  }
  return o;
}

json fleet_capability_json(const FleetCapability& c, const std::vector<std::string>& hosts) {
  json j = json::object();
  for (std::size_t i = 0; i < hosts.size(); ++i)
    for (std::size_t f = 0; f < c.fields.size(); ++f)
      j[hosts[i]][c.fields[f].first] = c.values[f][i];
  return j;
}

}  // namespace zs
