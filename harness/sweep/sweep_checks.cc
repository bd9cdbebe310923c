#include "sweep/sweep_checks.h"

#include <algorithm>
#include <random>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/errors.h"
#include "common/units.h"
#include "memory/hugetlb_pool.h"
#include "strategies/strategy.h"
#include "sweep/kernel_strategy.h"
#include "sweep/machine_checks.h"
#include "sweep/memory_axis.h"
#include "sweep/point_parameters.h"

namespace zs {

namespace {

// "axes.width" -> Option::width, for a sweep built from flags.
Option axis_option(std::string_view key) {
  static constexpr std::pair<std::string_view, Option> kAxes[] = {
      {"axes.backing", Option::backing},   {"axes.folio_size", Option::folio_size},
      {"axes.strategy", Option::strategy}, {"axes.primitive", Option::primitive},
      {"axes.target", Option::target},     {"axes.access", Option::access},
      {"axes.cache", Option::cache},       {"axes.batch", Option::batch},
      {"axes.width", Option::width}};
  for (const auto& [k, o] : kAxes)
    if (k == key) return o;
  return Option::none;
}

// A file's problem is "path:line: key: problem"; a sweep built from flags
// (path "") has no lines: its problem is about the axis's option.
[[noreturn]] void fail(const SweepConfig& cfg, int line, std::string_view key,
                       std::string_view problem) {
  if (cfg.path.empty()) throw SetupError(axis_option(key), std::string(problem));
  throw SetupError(fmt::format("{}:{}: {}: {}", cfg.path, line, key, problem));
}

// The first value of an axis the file gave other than the default, if any.
template <class T, class Def>
const AxisValue<T>* given_other(const std::vector<AxisValue<T>>& axis, const Def& def) {
  for (const auto& v : axis)
    if (v.line != 0 && v.value != def) return &v;
  return nullptr;
}

// Batch and width beyond the largest folio of the sweep cannot mean
// anything; a parameter given but used by no strategy of the sweep would be
// silently dropped, which is a mistake in the file, not a choice.
void check_parameters(const SweepConfig& cfg) {
  std::uint64_t max_pages = 0;
  for (const auto& f : cfg.folio_size)
    max_pages = std::max(max_pages, f.value / sweep_machine::base_page());
  const std::string largest =
      fmt::format("the largest folio of this sweep ({} = {} pages)",
                  exact_size(max_pages * sweep_machine::base_page()), max_pages);
  for (const auto& b : cfg.batch)
    if (b.value > max_pages)
      fail(cfg, b.line, "axes.batch",
           fmt::format("'{}' is {} pages, more than {}; 0 is the whole folio", b.text, b.value,
                       largest));
  for (const auto& w :
       cfg.width)  // the default (line 0) is clamped to the folio, as the kernel does
    if (w.line != 0 && w.value > max_pages)
      fail(cfg, w.line, "axes.width", fmt::format("{} pages is more than {}", w.value, largest));

  bool width = false, batch = false, primitive = false;
  std::vector<std::string> width_users, batch_users;
  for (const Strategy& s : strategies()) {
    if (s.uses_width && !s.preset) width_users.emplace_back(s.name);
    if (s.uses_batch && !s.preset) batch_users.emplace_back(s.name);
  }
  for (const auto& s : cfg.strategy) {
    Point p;
    p.strategy = s.value;
    // "kernel" takes a primitive; its width and batch are the kernel's.
    const Applies a = s.value == kKernelStrategyAlias ? Applies{true, false, false} : applies(p);
    primitive = primitive || a.primitive;
    width = width || a.width;
    batch = batch || a.batch;
  }
  if (auto* v = given_other(cfg.width, kUpstreamWidth); v && !width)
    fail(cfg, v->line, "axes.width",
         fmt::format(
             "no strategy of this sweep uses width (strategies that do: {}); leave width out",
             fmt::join(width_users, ", ")));
  if (auto* v = given_other(cfg.batch, 0u); v && !batch)
    fail(cfg, v->line, "axes.batch",
         fmt::format(
             "no strategy of this sweep uses batch (strategies that do: {}); leave batch out",
             fmt::join(batch_users, ", ")));
  if (auto* v = given_other(cfg.primitive, kKernelAlias); v && !primitive)
    fail(cfg, v->line, "axes.primitive",
         "only kernel-fault is swept and it has no primitive (the kernel zeroes); leave primitive "
         "out");
}

// Why an optional ("?") size is not measured here, or nullopt: it must be
// usable as the machine is set up now (an mTHP size enabled), and a hugetlb
// size also needs pages in its pool: x86 kernels offer a 1 GiB pool on every
// CPU with gbpages, empty unless pages were reserved at boot (hugepagesz=1G
// hugepages=N), and a run cannot reliably reserve 1 GiB pages later.
std::optional<std::string> optional_unavailable(Backing b, std::uint64_t bytes) {
  if (auto why = backing_unusable(b, bytes, PoolOptions{})) return why;
  if (b == Backing::hugetlb) {
    auto pool = hugetlb_pool(bytes);
    if (pool && pool->nr == 0)
      return fmt::format(
          "hugetlb: the {} pool has no pages (nr_hugepages is 0); reserve them at boot "
          "(hugepagesz={} hugepages=N) to measure it",
          exact_size(bytes),
          bytes >= (1u << 30) ? fmt::format("{}G", bytes >> 30) : fmt::format("{}M", bytes >> 20));
  }
  return std::nullopt;
}

// Sizes marked "?" that a backing cannot provide here become rules that
// leave those points out, with the reason, for the record.
void mark_unavailable(SweepConfig& cfg) {
  for (const auto& b : cfg.backing)
    for (const auto& f : cfg.folio_size) {
      if (f.text.empty() || f.text.back() != '?') continue;
      auto why = optional_unavailable(b.value, f.value);
      if (!why) continue;
      ExcludeRule r;
      r.line = f.line;
      r.match = {{sweep_axes::kBacking, {to_string(b.value)}},
                 {sweep_axes::kFolio, {std::to_string(f.value)}}};
      r.reason = fmt::format("{} {}: {}", to_string(b.value), f.text, *why);
      cfg.unavailable.push_back(std::move(r));
    }
  if (cfg.unavailable.size() == cfg.backing.size() * cfg.folio_size.size())
    fail(cfg, cfg.folio_size.front().line, "axes.folio_size",
         fmt::format("no folio size of this sweep is available here: {}",
                     cfg.unavailable.front().reason));
}

// What only the expanded points can tell: every (backing, size) pair that
// is measured can be provided here, every target lies inside its folio.
void check_points(const SweepConfig& cfg, const std::vector<Point>& points) {
  std::set<std::pair<Backing, std::uint64_t>> pairs;
  std::set<std::pair<std::uint64_t, std::string>> targets;
  std::set<Backing> aliased;
  const std::uint64_t page = sweep_machine::base_page();
  for (const Point& p : points) {
    // What `zeroscope run` can still change is left to it, as for a short
    // hugetlb pool: an mTHP size that exists but is not enabled is enabled
    // by --enable-mthp (or refused, with the command, before measuring).
    if (pairs.insert({p.backing, p.folio_bytes}).second) {
      if (auto why = backing_unusable(p.backing, p.folio_bytes, PoolOptions{false, true})) {
        auto f = std::find_if(cfg.folio_size.begin(), cfg.folio_size.end(),
                              [&](const auto& v) { return v.value == p.folio_bytes; });
        auto b = std::find_if(cfg.backing.begin(), cfg.backing.end(),
                              [&](const auto& v) { return v.value == p.backing; });
        // What a machine may lack (unlike THP at a size other than the PMD's).
        // (A file can say so; flags cannot.)
        const bool machine =
            (p.backing == Backing::hugetlb || p.backing == Backing::mthp) && !cfg.path.empty();
        const std::string hint =
            machine ? fmt::format("; write \"{}?\" to measure it only where available", f->text)
                    : "";
        if (f->line != 0)
          fail(
              cfg, f->line, "axes.folio_size",
              fmt::format("'{}' with backing {}: {}{}", f->text, to_string(p.backing), *why, hint));
        fail(cfg, b->line, "axes.backing",
             fmt::format("'{}' with the default folio size {}: {}", b->text, f->text, *why));
      }
    }
    // The alias strategies need a memfd pool: thp (shmem, which run can
    // allow for itself) or hugetlb.
    if (pool_source(p) == PoolSource::memfd && aliased.insert(p.backing).second)
      if (auto why = memfd_backing_unusable(p.backing, p.folio_bytes, {false, true, true})) {
        auto s = std::find_if(cfg.strategy.begin(), cfg.strategy.end(),
                              [&](const auto& v) { return v.value == p.strategy.name(); });
        fail(cfg, s == cfg.strategy.end() ? 0 : s->line, "axes.strategy",
             fmt::format("'{}': {}", p.strategy.name(), *why));
      }
    const std::string name = p.target.name();
    if (targets.insert({p.folio_bytes, name}).second) {
      std::mt19937_64 probe(0);
      const std::uint64_t pages = p.folio_bytes / page;
      if (!resolve_target(p.target, pages, page, probe)) {
        auto t = std::find_if(cfg.target.begin(), cfg.target.end(),
                              [&](const auto& v) { return v.value.name() == name; });
        fail(cfg, t->line, "axes.target",
             p.target.kind == TargetSpec::Kind::page
                 ? fmt::format("page {} lies outside the {} folio ({} pages)", p.target.value,
                               exact_size(p.folio_bytes), pages)
                 : fmt::format("'{}' lies outside the {} folio ({} bytes)", t->text,
                               exact_size(p.folio_bytes), p.folio_bytes));
      }
    }
  }
}

}  // namespace

void check_sweep(SweepConfig& cfg) {
  check_parameters(cfg);
  mark_unavailable(cfg);
  check_memory(cfg, machine_reporting());
  const std::vector<Point> points = expand_sweep(cfg);
  check_points(cfg, points);
  check_memory_points(cfg, points);
}

}  // namespace zs
