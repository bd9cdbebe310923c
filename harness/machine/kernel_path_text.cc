#include "machine/kernel_path_text.h"

#include <fmt/format.h>

#include "common/units.h"
#include "machine/record_text.h"

namespace zs {

using nlohmann::json;

std::string folio_label(const std::string& backing, std::uint64_t folio_size) {
  const std::string name = backing == "thp" ? "THP" : backing == "mthp" ? "mTHP" : backing;
  return name + " " + exact_size(folio_size);
}

std::string zeroing_text(const json& e) {
  const json& s = e.value("strategy", json(nullptr));
  if (!s.is_string()) return "not covered: " + e.value("reason", std::string("no reason given"));
  std::string params;
  if (e.contains("width") && e["width"].is_number())
    params += fmt::format(" w={}", e["width"].get<std::uint64_t>());
  if (e.contains("batch") && e["batch"].is_number()) {
    const auto b = e["batch"].get<std::uint64_t>();
    params += b ? fmt::format(" batch={}", b) : std::string(" batch=whole");
  }
  return fmt::format("{}{} ({})", s.get<std::string>(), params, e.value("function", std::string()));
}

void kernel_zeroing_text(RecordText& t) {
  auto fact = [&](const std::string& key, const std::string& path) {
    t.row(key, t.str(path + ".value") + "\nsource: " + t.str(path + ".source"));
  };
  fact("init_on_alloc", "kernel.init_on_alloc");
  fact("init_on_free", "kernel.init_on_free");
  t.row("max page order",
        t.str("kernel.max_page_order") + "\nsource: " + t.str("kernel.max_page_order_source"));
  std::string fpr = t.str("kernel.free_page_reporting.active");
  if (t.known("kernel.free_page_reporting.order")) {
    const auto order = t.at("kernel.free_page_reporting.order")->get<unsigned>();
    fpr += fmt::format(", order {} (free blocks of 2^{} pages and up are given to the host)", order,
                       order);
  }
  t.row("free page reporting", fpr + "\nsource: " + t.str("kernel.free_page_reporting.source"));
  fact("caches alias", "kernel.caches_alias");

  t.section("Kernel zeroing (the replica of each folio's fault path; docs/kernel-zeroing.md)");
  const json* z = t.at("kernel.zeroing");
  if (z == nullptr || !z->is_array()) {
    t.row("(none)", t.unknown("kernel.zeroing"));
    return;
  }
  if (z->empty()) t.row("(none)", "this kernel offers no huge folio");
  for (const json& e : *z)
    t.row(folio_label(e.value("backing", std::string("?")), e.value("folio_size", 0ull)),
          zeroing_text(e) + "\nsource: " + e.value("source", std::string("-")));
}

std::vector<std::string> kernel_path_lines(
    const json* zeroing, const std::vector<std::pair<std::string, std::uint64_t>>& folios) {
  if (zeroing == nullptr || !zeroing->is_array())
    return {"kernel path: not recorded (results from before zeroscope recorded it)"};
  std::vector<std::string> out;
  for (const auto& [backing, bytes] : folios) {
    const json* hit = nullptr;
    for (const json& e : *zeroing)
      if (e.value("backing", std::string()) == backing && e.value("folio_size", 0ull) == bytes)
        hit = &e;
    const std::string label = folio_label(backing, bytes);
    if (hit == nullptr)
      out.push_back(
          fmt::format("kernel path: {}: not in the kernel's table (not a huge folio "
                      "this kernel faults)",
                      label));
    else
      out.push_back(fmt::format("kernel path: {}: {}", label, zeroing_text(*hit)));
  }
  return out;
}

}  // namespace zs
