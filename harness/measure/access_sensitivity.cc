#include "measure/access_sensitivity.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <set>

#include "common/clock.h"
#include "measure/phase_meter.h"
#include "memory/backing.h"
#include "memory/folio_pool.h"
#include "platform/platform.h"
#include "stats/stats.h"

namespace zs {

namespace {

constexpr std::uint64_t kManyPairsUpTo = std::uint64_t{32} << 20;

// One timed access on the pool's next folio, written first (its pages are
// there, whatever the run did with it before), then its accessed region
// written again, last (hot: as a strategy leaves the region it clears last;
// a large memset may bypass the cache, so the folio's own write is not
// enough), or the folio flushed (cold). Without a flush instruction the cold
// folio is only taken: a cold-sized pool has evicted it since its last use.
double one_access(FolioPool& pool, std::size_t i, const AccessPlan& plan, const AccessPlan& rewrite,
                  bool hot, bool flush, std::uint64_t& sink) {
  if (!flush) i = pool.next();
  std::byte* folio = pool.folio(i);
  if (hot || flush) std::memset(folio, 0x5a, pool.folio_bytes());
  if (hot) run_access(rewrite, folio);
  if (!hot && flush) platform::flush_range(folio, pool.folio_bytes());
  PhaseMeter meter;
  meter.start();
  sink += run_access(plan, folio);
  return double(meter.stop().ns);
}

}  // namespace

std::vector<AccessSensitivity> measure_access_sensitivity(const std::vector<AccessUse>& uses,
                                                          std::uint32_t pairs) {
  std::vector<AccessSensitivity> out;
  std::set<std::string> seen;
  const bool flush = !platform::flush_name().empty();
  std::uint64_t sink = 0;
  for (const AccessUse& u : uses) {
    const std::string name = access_name(u.spec);
    if (u.spec.pattern == AccessPattern::none || u.spec.pattern == AccessPattern::residency ||
        u.pool == nullptr || !seen.insert(name).second)
      continue;
    const double t0 = monotonic_seconds();
    FolioPool& pool = *u.pool;
    std::mt19937_64 rng(1);
    const Target t =
        resolve_target(u.target, pool.nr_pages(), pool.page_bytes(), rng).value_or(Target{});
    const AccessPlan plan = make_access_plan(u.spec, pool.folio_bytes(), pool.page_bytes(),
                                             t.page * pool.page_bytes() + t.page_offset,
                                             platform::cache_line_bytes(), 0x9e3779b97f4a7c15ull);
    // With a flush, one spare folio for every access (hot and cold differ
    // only in where its lines are; a new folio each time adds TLB and
    // page-walk misses that are not the zeroing's); without, the pool's
    // round robin makes the cold ones.
    const std::size_t spare = pool.next();
    AccessPlan rewrite = plan;
    rewrite.op = AccessOp::write;
    rewrite.word_index = false;
    std::vector<double> hot, cold;
    one_access(pool, spare, plan, rewrite, true, flush, sink);  // warms the code and the plan
    // A 1 GiB folio takes ~0.2 s to write and flush: a few pairs only.
    const std::uint32_t n = pool.folio_bytes() > kManyPairsUpTo ? std::min(pairs, 3u) : pairs;
    for (std::uint32_t k = 0; k < n; ++k) {
      const bool hot_first = k % 2 == 0;
      for (int side = 0; side < 2; ++side) {
        const bool is_hot = (side == 0) == hot_first;
        (is_hot ? hot : cold)
            .push_back(one_access(pool, spare, plan, rewrite, is_hot, flush, sink));
      }
    }
    AccessSensitivity s;
    s.access = name;
    s.backing = to_string(pool.backing());
    s.target = u.target.name();
    s.folio_size = pool.folio_bytes();
    s.pairs = n;
    s.cold_by = flush ? "clflush" : "pool";
    s.hot_ns = stats::percentile(hot, 0.5);
    s.cold_ns = stats::percentile(cold, 0.5);
    s.ratio = s.hot_ns > 0 ? s.cold_ns / s.hot_ns : 0;
    s.cost_ms = (monotonic_seconds() - t0) * 1e3;
    out.push_back(s);
  }
  asm volatile("" : : "r"(sink));  // what was read is used: the loads stay
  return out;
}

nlohmann::json to_json(const std::vector<AccessSensitivity>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const AccessSensitivity& s : v)
    a.push_back({{"access", s.access},
                 {"backing", s.backing},
                 {"folio_size", s.folio_size},
                 {"target", s.target},
                 {"hot_ns", s.hot_ns},
                 {"cold_ns", s.cold_ns},
                 {"ratio", s.ratio},
                 {"pairs", s.pairs},
                 {"hot", "the folio written, then the accessed region written last"},
                 {"cold_by", s.cold_by},
                 {"cost_ms", s.cost_ms}});
  return a;
}

std::vector<AccessSensitivity> access_sensitivity_from_json(const nlohmann::json& j) {
  std::vector<AccessSensitivity> v;
  if (!j.is_array()) return v;
  for (const nlohmann::json& e : j) {
    if (!e.is_object() || !e.contains("access") || !e["access"].is_string()) continue;
    AccessSensitivity s;
    s.access = e["access"].get<std::string>();
    s.backing = e.value("backing", "");
    s.target = e.value("target", "");
    s.folio_size = e.value("folio_size", std::uint64_t{0});
    s.hot_ns = e.value("hot_ns", 0.0);
    s.cold_ns = e.value("cold_ns", 0.0);
    s.ratio = e.value("ratio", 0.0);
    s.pairs = e.value("pairs", 0u);
    s.cold_by = e.value("cold_by", "");
    s.cost_ms = e.value("cost_ms", 0.0);
    v.push_back(s);
  }
  return v;
}

}  // namespace zs
