#include "measure/access.h"

#include <algorithm>
#include <random>

namespace zs {

namespace {
constexpr std::pair<AccessPattern, const char*> kPatterns[] = {
    {AccessPattern::none, "none"},           {AccessPattern::touch, "touch"},
    {AccessPattern::page, "page"},           {AccessPattern::neighbourhood, "neighbourhood"},
    {AccessPattern::stream, "stream"},       {AccessPattern::folio, "folio"},
    {AccessPattern::random, "random"},       {AccessPattern::usemem, "usemem"},
    {AccessPattern::residency, "residency"},
};
// The kernel's FOLIO_ZERO_LOCALITY_RADIUS: the neighbourhood the upstream
// strategy keeps hot is the one this pattern reads.
constexpr std::uint64_t kNeighbourhood = 2;
}  // namespace

std::optional<AccessPattern> parse_access_pattern(std::string_view s) {
  for (auto [p, n] : kPatterns)
    if (s == n) return p;
  return std::nullopt;
}

std::optional<AccessOp> parse_access_op(std::string_view s) {
  if (s == "read") return AccessOp::read;
  if (s == "write") return AccessOp::write;
  return std::nullopt;
}

const char* to_string(AccessPattern p) {
  for (auto [q, n] : kPatterns)
    if (q == p) return n;
  return "?";
}

const char* to_string(AccessOp op) { return op == AccessOp::read ? "read" : "write"; }

std::string access_name(const AccessSpec& spec) {
  return std::string(to_string(spec.pattern)) + ":" + to_string(spec.op);
}

std::string access_pattern_names() {
  std::string s;
  for (auto [p, n] : kPatterns) s += (s.empty() ? "" : ", ") + std::string(n);
  return s;
}

std::uint64_t AccessPlan::bytes() const {
  std::uint64_t b = lines.size() * line;
  for (const auto& r : ranges) b += r.second;
  return b;
}

AccessPlan make_access_plan(const AccessSpec& spec, std::uint64_t folio_bytes,
                            std::uint64_t page_size, std::uint64_t hint_offset, std::size_t line,
                            std::uint64_t seed) {
  AccessPlan plan;
  plan.op = spec.op;
  plan.line = line;
  const std::uint64_t hint_line = hint_offset / line * line;
  const std::uint64_t t = hint_offset / page_size, n = folio_bytes / page_size;
  switch (spec.pattern) {
    case AccessPattern::none:
    case AccessPattern::residency:  // probed by measure/residency.h instead
      break;
    case AccessPattern::touch:
      plan.ranges.push_back({hint_line, line});
      break;
    case AccessPattern::page:
      plan.ranges.push_back({t * page_size, page_size});
      break;
    case AccessPattern::neighbourhood: {
      std::uint64_t lo = t >= kNeighbourhood ? t - kNeighbourhood : 0;
      std::uint64_t hi = std::min(n - 1, t + kNeighbourhood);
      plan.ranges.push_back({lo * page_size, (hi - lo + 1) * page_size});
      break;
    }
    case AccessPattern::stream:
      plan.ranges.push_back({hint_line, folio_bytes - hint_line});
      break;
    case AccessPattern::folio:
      plan.ranges.push_back({0, folio_bytes});
      break;
    case AccessPattern::usemem:
      // usemem touches its whole region from the start, not from the fault.
      plan.ranges.push_back({0, folio_bytes});
      plan.word_index = spec.op == AccessOp::write;
      break;
    case AccessPattern::random: {
      std::mt19937_64 rng(seed);
      std::uniform_int_distribution<std::uint64_t> pick(0, folio_bytes / line - 1);
      for (std::uint32_t i = 0; i < spec.random_lines; ++i) plan.lines.push_back(pick(rng) * line);
      break;
    }
  }
  return plan;
}

}  // namespace zs
