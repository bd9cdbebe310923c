#include "report/report_header.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/emulation_warning.h"

namespace zs {

namespace {

using nlohmann::json;

const json* find(const json& meta, const std::string& path) {
  const json::json_pointer at("/capability/" + path);
  return meta.contains(at) ? &meta.at(at) : nullptr;
}

// "missing" is keyed by the dotted path ("cpu.microcode").
std::string missing_reason(const json& meta, std::string path) {
  const json* m = find(meta, "missing");
  if (m == nullptr || !m->is_object()) return "";
  std::replace(path.begin(), path.end(), '/', '.');
  auto it = m->find(path);
  return it != m->end() && it->is_string() ? it->get<std::string>() : "";
}

class Builder {
 public:
  explicit Builder(const json& meta) : meta_(meta) {}

  // The value at `path` shown by `show`; "unknown" for null, "not recorded"
  // when the record predates the field.
  template <class Show>
  void field(const std::string& name, const std::string& path, Show show) {
    const json* v = find(meta_, path);
    if (v == nullptr) {
      h_.fields.push_back({name, "not recorded"});
      h_.not_recorded.push_back(name);
    } else if (v->is_null()) {
      h_.fields.push_back({name, "unknown"});
      std::string why = missing_reason(meta_, path);
      h_.unknown.push_back({name, why.empty() ? "the record holds no value" : why});
    } else {
      h_.fields.push_back({name, show(*v)});
    }
  }
  void field(const std::string& name, const std::string& path) {
    field(name, path,
          [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); });
  }
  MachineHeader done() { return std::move(h_); }

 private:
  const json& meta_;
  MachineHeader h_;
};

std::string on_off(const json& v) {
  return v.is_boolean() ? (v.get<bool>() ? "on" : "off") : v.dump();
}

void x86_identity(Builder& b, const json& meta) {
  b.field("family_model_stepping", "cpu/family", [&](const json& family) {
    auto num = [&](const char* what) -> std::string {
      const json* v = find(meta, std::string("cpu/") + what);
      return v != nullptr && v->is_number_unsigned() ? fmt::format("0x{:x}", v->get<unsigned>())
                                                     : "unknown";
    };
    const json* stepping = find(meta, "cpu/stepping");
    return fmt::format(
        "family {} model {} stepping {}",
        family.is_number_unsigned() ? fmt::format("0x{:x}", family.get<unsigned>()) : "unknown",
        num("model"), stepping != nullptr && stepping->is_number() ? stepping->dump() : "unknown");
  });
  b.field("microcode", "cpu/microcode");
}

// "implementer 0x41 part 0xd0c r3p1, Neoverse N1"
void arm64_identity(Builder& b, const json& meta) {
  b.field("midr", "cpu/implementer", [&](const json&) {
    auto num = [&](const char* what, bool hex) -> std::string {
      const json* v = find(meta, std::string("cpu/") + what);
      if (v == nullptr || !v->is_number_integer() || v->get<std::int64_t>() < 0) return "?";
      const auto n = v->get<std::uint64_t>();
      return hex ? fmt::format("0x{:x}", n) : std::to_string(n);
    };
    const json* core = find(meta, "cpu/core");
    return fmt::format("implementer {} part {} r{}p{}, {}", num("implementer", true),
                       num("part", true), num("variant", false), num("revision", false),
                       core != nullptr && core->is_string() ? core->get<std::string>()
                                                            : "core not in zeroscope's table");
  });
  // Not shown on the CPU line; the fleet's table has a row for every host.
  b.field("microcode", "cpu/microcode");
}

}  // namespace

const std::string& MachineHeader::at(const std::string& field) const {
  static const std::string none;
  for (const auto& [name, value] : fields)
    if (name == field) return value;
  return none;
}

MachineHeader machine_header(const json& meta) {
  Builder b(meta);
  b.field("cpu", "cpu/model_name");
  b.field("uarch", "cpu/uarch");
  // arm64 identifies a core by MIDR_EL1's fields (and has no microcode
  // revision), x86 by family/model/stepping.
  const json* arch = find(meta, "cpu/arch");
  if (arch != nullptr && arch->is_string() && arch->get<std::string>() == "arm64")
    arm64_identity(b, meta);
  else
    x86_identity(b, meta);
  b.field("hypervisor", "cpu/hypervisor/present", [&](const json& present) {
    if (!present.is_boolean() || !present.get<bool>()) return std::string("none");
    const json* vendor = find(meta, "cpu/hypervisor/vendor");
    return vendor != nullptr && vendor->is_string() ? "'" + vendor->get<std::string>() + "'"
                                                    : std::string("present, vendor unknown");
  });
  b.field("host", "host/name");
  b.field("kernel", "kernel/release");
  b.field("preemption", "kernel/preemption/model", [&](const json& model) {
    const json* dynamic = find(meta, "kernel/preemption/dynamic");
    const bool dyn = dynamic != nullptr && dynamic->is_boolean() && dynamic->get<bool>();
    return model.get<std::string>() + (dyn ? " (PREEMPT_DYNAMIC)" : "");
  });
  b.field("init_on_alloc", "kernel/init_on_alloc/value", on_off);
  b.field("free_page_reporting", "kernel/free_page_reporting/active", [&](const json& active) {
    const json* order = find(meta, "kernel/free_page_reporting/order");
    if (!active.is_boolean() || !active.get<bool>()) return std::string("off");
    return order != nullptr && order->is_number() ? fmt::format("on (order {})", order->dump())
                                                  : std::string("on");
  });
  b.field("thp", "thp/enabled", [&](const json& enabled) {
    const json* defrag = find(meta, "thp/defrag");
    return enabled.get<std::string>() +
           (defrag != nullptr && defrag->is_string()
                ? fmt::format(" (defrag {})", defrag->get<std::string>())
                : "");
  });
  MachineHeader h = b.done();
  h.emulation_warning = emulation_warning(meta.value("capability", json()));
  return h;
}

std::vector<std::string> machine_header_lines(const MachineHeader& h) {
  const bool arm64 = !h.at("midr").empty();
  std::vector<std::string> lines = {
      arm64 ? fmt::format("CPU: {} ({}; {}); hypervisor {}; host {}", h.at("cpu"), h.at("uarch"),
                          h.at("midr"), h.at("hypervisor"), h.at("host"))
            : fmt::format("CPU: {} ({}; {}; microcode {}); hypervisor {}; host {}", h.at("cpu"),
                          h.at("uarch"), h.at("family_model_stepping"), h.at("microcode"),
                          h.at("hypervisor"), h.at("host")),
      fmt::format("kernel {}: preemption {}; init_on_alloc {}; free page reporting {}; THP {}",
                  h.at("kernel"), h.at("preemption"), h.at("init_on_alloc"),
                  h.at("free_page_reporting"), h.at("thp"))};
  if (!h.emulation_warning.empty()) lines.insert(lines.begin(), "WARNING: " + h.emulation_warning);
  if (!h.not_recorded.empty()) {
    std::vector<std::string> names;
    for (std::string n : h.not_recorded) {
      if (n == "family_model_stepping") n = "family/model/stepping";
      if (n == "free_page_reporting") n = "free page reporting";
      names.push_back(n);
    }
    lines.push_back(
        fmt::format("not recorded (results of a zeroscope that did not record them): {}",
                    fmt::join(names, ", ")));
  }
  return lines;
}

json machine_header_json(const MachineHeader& h) {
  json j = json::object();
  for (const auto& [name, value] : h.fields) j[name] = value;
  j["not_recorded"] = h.not_recorded;
  json unknown = json::object();
  for (const auto& [name, why] : h.unknown) unknown[name] = why;
  j["unknown"] = unknown;
  if (!h.emulation_warning.empty()) j["emulation_warning"] = h.emulation_warning;
  return j;
}

}  // namespace zs
