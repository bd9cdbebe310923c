#include "sweep/kernel_strategy.h"

#include <set>

#include <fmt/format.h>

#include "common/units.h"
#include "machine/kernel_path_text.h"
#include "strategies/strategy.h"
#include "sweep/sweep_config.h"

namespace zs {

const KernelZeroing* kernel_strategy_entry(Backing backing, std::uint64_t folio_bytes,
                                           std::string* why) {
  const std::vector<KernelZeroing>& table = this_kernel_zeroing();
  const KernelZeroing* z = find_kernel_zeroing(table, to_string(backing), folio_bytes);
  if (z == nullptr) {
    *why = backing == Backing::base
               ? "base pages are not zeroed by a huge-folio path (clear_user_highpage, one page)"
               : "this kernel has no entry for it in its table (see `zeroscope info`)";
    return nullptr;
  }
  if (!z->strategy) {
    *why = z->reason;
    return nullptr;
  }
  return z;
}

void apply_kernel_strategy(Point& p, const KernelZeroing& z) {
  p.strategy = *z.strategy;
  p.width = z.width.value_or(kUpstreamWidth);
  p.batch = z.batch.value_or(0);
}

std::string kernel_strategy_refusal(Backing backing, std::uint64_t folio_bytes,
                                    const std::string& why) {
  return fmt::format(
      "'kernel' has no replica for {} {} here: {}; name a strategy instead (see `zeroscope "
      "strategies`)",
      to_string(backing), exact_size(folio_bytes), why);
}

nlohmann::json kernel_strategy_json(const SweepConfig& c, const std::vector<Point>& points) {
  nlohmann::json out = nlohmann::json::array();
  bool named = false;
  for (const auto& s : c.strategy) named = named || s.value == kKernelStrategyAlias;
  if (!named) return out;
  std::set<std::pair<Backing, std::uint64_t>> pairs;
  for (const Point& p : points)
    if (pairs.insert({p.backing, p.folio_bytes}).second) {
      std::string why;
      if (const KernelZeroing* z = kernel_strategy_entry(p.backing, p.folio_bytes, &why))
        out.push_back(to_json(*z));
    }
  return out;
}

std::vector<std::string> kernel_path_header(const std::vector<Point>& points) {
  nlohmann::json table = nlohmann::json::array();
  for (const KernelZeroing& z : this_kernel_zeroing()) table.push_back(to_json(z));
  std::set<std::pair<std::string, std::uint64_t>> seen;
  std::vector<std::pair<std::string, std::uint64_t>> folios;
  for (const Point& p : points)
    if (p.backing != Backing::base && seen.insert({to_string(p.backing), p.folio_bytes}).second)
      folios.emplace_back(to_string(p.backing), p.folio_bytes);
  if (folios.empty()) return {};
  return kernel_path_lines(&table, folios);
}

}  // namespace zs
