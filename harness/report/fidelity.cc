#include "report/fidelity.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/units.h"
#include "strategies/strategy.h"

namespace zs {

namespace {

std::optional<std::uint64_t> opt_u64(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<std::int64_t>() < 0)
    return std::nullopt;
  return j[key].get<std::uint64_t>();
}

std::string str_or(const nlohmann::json& j, const char* key, const std::string& fallback = "") {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                : fallback;
}

// The entry of `list` (an array of kernel.zeroing-shaped objects) for the
// backing and size; nullptr when there is none.
const nlohmann::json* entry_for(const nlohmann::json* list, std::string_view backing,
                                std::uint64_t folio_size) {
  if (list == nullptr || !list->is_array()) return nullptr;
  for (const nlohmann::json& e : *list)
    if (e.is_object() && str_or(e, "backing") == backing && opt_u64(e, "folio_size") == folio_size)
      return &e;
  return nullptr;
}

const nlohmann::json* at(const nlohmann::json& j, const char* pointer) {
  const nlohmann::json::json_pointer p(pointer);
  return j.contains(p) ? &j.at(p) : nullptr;
}

// Axes of a point that PointInfo does not carry, from meta.json's config.
struct PointAxes {
  std::string evict;
  std::optional<std::uint64_t> width, batch;
};

std::map<std::string, PointAxes> point_axes(const nlohmann::json& meta) {
  std::map<std::string, PointAxes> out;
  const nlohmann::json* points = at(meta, "/config/points");
  if (points == nullptr || !points->is_array()) return out;
  for (const nlohmann::json& p : *points)
    if (p.is_object() && p.contains("key") && p["key"].is_string())
      out[p["key"]] = {str_or(p, "evict"), opt_u64(p, "width"), opt_u64(p, "batch")};
  return out;
}

// The replica's strategy with its parameters: "three-region w2 b8192".
std::string path_name(const RecordedKernelPath& p) {
  std::string s = p.strategy.value_or("-");
  if (p.width) s += fmt::format(" w{}", *p.width);
  if (p.batch) s += fmt::format(" b{}", *p.batch);
  return s;
}

// The candidates measured: same point (memory included) but for strategy and primitive, the
// path's strategy, its width and batch where the strategy takes them.
std::vector<const PointInfo*> candidates(const ResultsData& d, const PointInfo& fault,
                                         const RecordedKernelPath& path,
                                         const std::map<std::string, PointAxes>& axes) {
  const Strategy* s = find_strategy(*path.strategy);
  const PointAxes none;
  auto axes_of = [&](const std::string& key) -> const PointAxes& {
    auto it = axes.find(key);
    return it == axes.end() ? none : it->second;
  };
  const PointAxes& fa = axes_of(fault.key);
  std::vector<const PointInfo*> out;
  for (const PointInfo& p : d.points) {
    const PointAxes& pa = axes_of(p.key);
    if (p.strategy != *path.strategy || p.backing != fault.backing ||
        p.folio_size != fault.folio_size || p.target != fault.target || p.access != fault.access ||
        p.op != fault.op || p.cache != fault.cache || pa.evict != fa.evict ||
        p.memory != fault.memory)
      continue;
    if (s != nullptr && s->uses_width && path.width && pa.width != path.width) continue;
    if (s != nullptr && s->uses_batch && path.batch && pa.batch != path.batch) continue;
    if (d.phase(p.key, ResultsData::cost_phase(p)) == nullptr) continue;  // no kept sample
    out.push_back(&p);
  }
  return out;
}

// The replica among the candidates: the one measured with the kernel's
// clear_page primitive (the capability record's choice), else the one the
// `kernel` primitive alias resolved, else the only one.
const PointInfo* choose_primitive(const ResultsData& d, const std::vector<const PointInfo*>& c,
                                  Fidelity& f) {
  const nlohmann::json* primitives = at(d.meta, "/capability/primitives");
  const std::string kernel = primitives != nullptr ? str_or(*primitives, "kernel") : "";
  auto real = [&](const PointInfo* p) { return d.phase(p->key, "zero")->primitive; };
  for (const PointInfo* p : c)
    if (!kernel.empty() && real(p) == kernel) {
      f.primitive_choice =
          fmt::format("primitive {}: the kernel's clear_page (meta.json capability)", kernel);
      return p;
    }
  for (const PointInfo* p : c)
    if (p->primitive == "kernel") {
      f.primitive_choice = fmt::format("primitive {}: the one `kernel` resolved to", real(p));
      return p;
    }
  if (c.size() == 1) {
    f.primitive_choice =
        fmt::format("primitive {}: the only one measured for {}{}", real(c[0]), c[0]->strategy,
                    kernel.empty() ? "" : fmt::format(", not the kernel's {}", kernel));
    return c[0];
  }
  std::vector<std::string> names;
  for (const PointInfo* p : c) names.push_back(real(p));
  f.note = fmt::format(
      "{} was measured with {}, none of them the kernel's clear_page ({}): add primitive "
      "\"kernel\" to the config",
      c[0]->strategy, fmt::join(names, ", "), kernel.empty() ? "unknown" : kernel);
  return nullptr;
}

void measure(const ResultsData& d, const PointInfo& replica, std::uint64_t seed, Fidelity& f) {
  const std::vector<double>& fault = d.phase(f.fault.key, "fault")->ns;
  const std::vector<double>& rep = d.phase(replica.key, ResultsData::cost_phase(replica))->ns;
  f.replica_key = replica.key;
  f.replica_name = fmt::format("{}/{}", replica.strategy, d.phase(replica.key, "zero")->primitive);
  f.fault_median = stats::summarize(fault).median;
  f.replica_median = stats::summarize(rep).median;
  f.remainder_ns = f.fault_median - f.replica_median;
  if (f.replica_median <= 0) {
    f.note = "the replica's median is 0 ns: no ratio";
    return;
  }
  if (fault.size() < 2 || rep.size() < 2) {
    f.note = "fewer than 2 samples on a side: no interval";
    return;
  }
  // bootstrap_median_ratio(a, b) is median(b) / median(a): fault / replica.
  f.ratio = stats::bootstrap_median_ratio(rep, fault, seed);
}

}  // namespace

bool records_kernel_path(const nlohmann::json& meta) {
  const nlohmann::json* resolved = at(meta, "/kernel_strategy");
  const nlohmann::json* capability = at(meta, "/capability/kernel/zeroing");
  return (resolved != nullptr && resolved->is_array()) ||
         (capability != nullptr && capability->is_array());
}

std::optional<RecordedKernelPath> recorded_kernel_path(const nlohmann::json& meta,
                                                       std::string_view backing,
                                                       std::uint64_t folio_size, std::string& why) {
  const nlohmann::json* resolved = at(meta, "/kernel_strategy");
  const nlohmann::json* capability = at(meta, "/capability/kernel/zeroing");
  const nlohmann::json* e = entry_for(resolved, backing, folio_size);
  const char* from = "kernel_strategy";
  if (e == nullptr) {
    e = entry_for(capability, backing, folio_size);
    from = "capability.kernel.zeroing";
  }
  if (e == nullptr) {
    why = records_kernel_path(meta)
              ? fmt::format(
                    "meta.json's kernel path has no entry for {} {}: this kernel does not "
                    "fault it as one folio here",
                    backing, exact_size(folio_size))
              : "meta.json records no kernel path (results written before zeroscope recorded "
                "it): no replica to compare kernel-fault with; rerun to get one";
    return std::nullopt;
  }
  RecordedKernelPath p;
  if ((*e).contains("strategy") && (*e)["strategy"].is_string()) p.strategy = (*e)["strategy"];
  p.width = opt_u64(*e, "width");
  p.batch = opt_u64(*e, "batch");
  p.function = str_or(*e, "function");
  p.source = str_or(*e, "source");
  p.reason = str_or(*e, "reason");
  p.from = from;
  return p;
}

std::vector<Fidelity> replica_fidelity(const ResultsData& d, std::uint64_t seed) {
  std::vector<Fidelity> out;
  const auto axes = point_axes(d.meta);
  for (const PointInfo& p : d.points) {
    if (!p.kernel_fault() || d.phase(p.key, "fault") == nullptr) continue;
    Fidelity f;
    f.fault = p;
    f.fault_median = stats::summarize(d.phase(p.key, "fault")->ns).median;
    f.path = recorded_kernel_path(d.meta, p.backing, p.folio_size, f.note);
    f.no_kernel_path = !records_kernel_path(d.meta);
    if (f.path && !f.path->strategy) {
      f.note = fmt::format("this kernel's path for {} {} is not covered: {}", p.backing,
                           exact_size(p.folio_size),
                           f.path->reason.empty() ? "no reason recorded" : f.path->reason);
    } else if (f.path) {
      const auto c = candidates(d, p, *f.path, axes);
      if (c.empty())
        f.note = fmt::format(
            "no replica measured in this run: add strategy \"kernel\" to the config (it "
            "resolves to {} here)",
            path_name(*f.path));
      else if (const PointInfo* replica = choose_primitive(d, c, f))
        measure(d, *replica, seed, f);
    }
    out.push_back(std::move(f));
  }
  return out;
}

const Fidelity* find_fidelity(const std::vector<Fidelity>& f, const std::string& fault_key) {
  auto it =
      std::find_if(f.begin(), f.end(), [&](const Fidelity& x) { return x.fault.key == fault_key; });
  return it == f.end() ? nullptr : &*it;
}

std::string replica_baseline(const std::vector<Fidelity>& f, const std::string& group) {
  for (const Fidelity& x : f)
    if (x.measured() && x.fault.group() == group) return x.path->strategy.value_or("");
  return "";
}

nlohmann::json fidelity_json(const Fidelity& f) {
  auto num = [](const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
  };
  nlohmann::json j = {
      {"replica", f.measured() ? nlohmann::json(f.replica_key) : nlohmann::json()},
      {"ratio", num(f.ratio ? std::optional<double>(f.ratio->estimate) : std::nullopt)},
      {"lo", num(f.ratio ? std::optional<double>(f.ratio->lo) : std::nullopt)},
      {"hi", num(f.ratio ? std::optional<double>(f.ratio->hi) : std::nullopt)},
      {"remainder_ns", num(f.remainder_ns)},
      {"fault_median_ns", f.fault_median},
      {"interval", f.runs > 1 ? "runs" : "samples"}};
  if (f.measured()) {
    j["replica_name"] = f.replica_name;
    j["replica_median_ns"] = f.replica_median;
    j["primitive"] = f.primitive_choice;
  }
  if (f.ratio) j["explains"] = f.explains();
  if (f.path)
    j["kernel_path"] = {
        {"strategy", f.path->strategy ? nlohmann::json(*f.path->strategy) : nlohmann::json()},
        {"width", f.path->width ? nlohmann::json(*f.path->width) : nlohmann::json()},
        {"batch", f.path->batch ? nlohmann::json(*f.path->batch) : nlohmann::json()},
        {"function", f.path->function},
        {"source", f.path->source},
        {"from", f.path->from}};
  if (!f.note.empty()) j["note"] = f.note;
  return j;
}

}  // namespace zs
