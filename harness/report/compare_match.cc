#include "report/compare_match.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"

namespace zs {

namespace {

bool ignored(const std::vector<std::string>& ignore, const std::string& axis) {
  return std::find(ignore.begin(), ignore.end(), axis) != ignore.end();
}

std::string axis_value(const PointInfo& p, const std::string& axis) {
  if (axis == "backing") return p.backing;
  if (axis == "folio_size") return std::to_string(p.folio_size);
  if (axis == "strategy") return p.strategy;
  if (axis == "primitive") return p.kernel_fault() ? "-" : p.primitive;
  if (axis == "target") return p.target;
  if (axis == "access") return p.access + ":" + p.op;
  if (axis == "memory") return p.memory;
  return p.cache;
}

// The point's identity without the ignored axes; `any_primitive` leaves
// the primitive out too.
std::string match_key(const PointInfo& p, const std::vector<std::string>& ignore,
                      bool any_primitive = false) {
  if (ignore.empty() && !any_primitive) return p.key;  // batch and width are in the full key
  std::string k;
  for (const std::string& axis : compare_axes()) {
    const bool wild = ignored(ignore, axis) || (any_primitive && axis == "primitive");
    k += axis + "=" + (wild ? "*" : axis_value(p, axis)) + ";";
  }
  return k;
}

}  // namespace

const std::vector<std::string>& compare_axes() {
  // memory: a fault on host-reported memory matches only host-reported
  // points, unless ignored (a host-reported run against a recycled one).
  static const std::vector<std::string> axes = {"backing", "folio_size", "strategy", "primitive",
                                                "target",  "access",     "cache",    "memory"};
  return axes;
}

void check_ignored_axes(const std::vector<std::string>& ignore) {
  for (const auto& axis : ignore)
    if (!ignored(compare_axes(), axis))
      throw SetupError(Option::ignore, fmt::format("unknown axis '{}'; allowed: {}", axis,
                                                   fmt::join(compare_axes(), ", ")));
}

PointMatcher::PointMatcher(const ResultsData& d, const std::vector<std::string>& ignore)
    : d_(d), ignore_(ignore), loose_(ignored(ignore, "strategy")) {
  std::map<std::string, const PointInfo*> seen;
  for (const PointInfo& p : d.points) {
    auto [it, fresh] = seen.emplace(match_key(p, ignore), &p);
    if (!fresh)
      throw SetupError(
          Option::ignore,
          fmt::format("in {}, {} and {} differ only in ignored axes; ignore fewer axes, or "
                      "compare directories with one point per match",
                      d.dir, it->second->key, p.key));
  }
}

std::vector<const PointInfo*> PointMatcher::matches(const PointInfo& p) const {
  std::vector<const PointInfo*> out;
  const std::string exact = match_key(p, ignore_);
  for (const PointInfo& q : d_.points)
    if (match_key(q, ignore_) == exact) out.push_back(&q);
  if (!out.empty() || !loose_) return out;
  // The kernel's fault against replica points (or the reverse): the
  // primitive is the replica's own choice, not an axis the two share.
  const std::string loose = match_key(p, ignore_, true);
  for (const PointInfo& q : d_.points)
    if (p.kernel_fault() != q.kernel_fault() && match_key(q, ignore_, true) == loose)
      out.push_back(&q);
  return out;
}

std::string no_match_reason(const ResultsData& a, const ResultsData& b,
                            const std::vector<std::string>& ignore) {
  std::vector<std::string> differ;
  for (const std::string& axis : compare_axes()) {
    if (ignored(ignore, axis)) continue;
    std::set<std::string> va, vb;
    for (const PointInfo& p : a.points) va.insert(axis_value(p, axis));
    for (const PointInfo& p : b.points) vb.insert(axis_value(p, axis));
    std::vector<std::string> common;
    std::set_intersection(va.begin(), va.end(), vb.begin(), vb.end(), std::back_inserter(common));
    if (common.empty())
      differ.push_back(
          fmt::format("{} ({} vs {})", axis, fmt::join(va, ", "), fmt::join(vb, ", ")));
  }
  const std::string ignoring =
      ignore.empty() ? "" : fmt::format(" with {} ignored", fmt::join(ignore, ", "));
  if (differ.empty())
    return fmt::format(
        "no point of {} matches a point of {}{}: each combination of axis values is in one "
        "directory only; compare runs of the same config, or ignore the axes that differ "
        "({} AXIS)",
        a.dir, b.dir, ignoring, option_ref(Option::ignore));
  return fmt::format(
      "no point of {} matches a point of {}{}: they share no value of {}; try {} {}, or "
      "compare runs that share these axes",
      a.dir, b.dir, ignoring, fmt::join(differ, "; "), option_ref(Option::ignore),
      differ.front().substr(0, differ.front().find(' ')));
}

}  // namespace zs
