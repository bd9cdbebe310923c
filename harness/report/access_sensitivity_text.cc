#include "report/access_sensitivity_text.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/units.h"
#include "report/report.h"

namespace zs {

std::vector<AccessSensitivity> access_sensitivity_of(const nlohmann::json& meta) {
  if (!meta.is_object() || !meta.contains("access_sensitivity")) return {};
  return access_sensitivity_from_json(meta["access_sensitivity"]);
}

std::string separating_line(const std::vector<AccessSensitivity>& v) {
  std::vector<std::string> yes, no;
  for (const AccessSensitivity& s : v) (separates(s) ? yes : no).push_back(s.access);
  const std::string y = yes.empty() ? "none" : fmt::format("{}", fmt::join(yes, ", "));
  const std::string n = no.empty() ? "none" : fmt::format("{}", fmt::join(no, ", "));
  return fmt::format(
      "can tell strategies apart here (cold/hot above {:.1f} or below {:.2f}): {}; cannot (their "
      "cost hardly depends on where the lines are): {}.",
      kSeparatingRatio, 1 / kSeparatingRatio, y, n);
}

std::string render_access_sensitivity_text(const std::vector<AccessSensitivity>& v) {
  if (v.empty()) return "";
  std::string o = "\n";
  o += wrap_lines(fmt::format(
      "access sensitivity (run start; hot: the folio written, its accessed region last; "
      "cold: evicted by {}; median of {} pairs each):",
      v.front().cold_by, v.front().pairs));
  o += fmt::format("  {:<20} {:<13} {:>9} {:>9} {:>8}\n", "access", "folio", "hot us", "cold us",
                   "cold/hot");
  for (const AccessSensitivity& s : v)
    o += fmt::format("  {:<20} {:<13} {:>9.3f} {:>9.3f} {:>7.2f}x\n", s.access,
                     s.backing + " " + exact_size(s.folio_size), s.hot_ns / 1e3, s.cold_ns / 1e3,
                     s.ratio);
  o += wrap_lines(separating_line(v), 80, "  ");
  return o;
}

std::string render_access_sensitivity_markdown(const std::vector<AccessSensitivity>& v) {
  if (v.empty()) return "";
  std::string o = fmt::format(
      "\n### Access sensitivity\n\nHot: the folio written, its accessed region last; cold: evicted "
      "by {}; median of {} pairs.\n\n| access | folio | hot (us) | cold (us) | cold/hot "
      "|\n|---|---|---|---|---|\n",
      v.front().cold_by, v.front().pairs);
  for (const AccessSensitivity& s : v)
    o += fmt::format("| {} | {} {} | {:.3f} | {:.3f} | {:.2f}x |\n", s.access, s.backing,
                     exact_size(s.folio_size), s.hot_ns / 1e3, s.cold_ns / 1e3, s.ratio);
  return o + "\n" + separating_line(v) + "\n";
}

}  // namespace zs
