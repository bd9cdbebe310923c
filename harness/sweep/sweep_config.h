// A sweep described in a TOML file: axes (each a list), settings, and
// exclude rules. Points are the cartesian product of the axes minus the
// excluded ones; a parameter that does not apply to a strategy (width for
// extent, batch for left-right, primitive/width/batch for kernel-fault)
// does not multiply the points. Everything is checked before anything is
// measured; a problem is reported as "file:line: key: problem" (SetupError).
// The file must be a regular file of at most 1 MiB (common/toml_reader.h).
//
//   # What question this sweep answers.
//   [settings]
//   repetitions = 20          # samples per point
//   warmup = 2                # unrecorded samples per point first
//   seed = 1                  # order, random targets, random lines; [0, 2^64-1], a seed
//                             #   above 2^63-1 as a string: "18446744073709551615"
//   label = "quick"           # results directory suffix: <= 64 of [A-Za-z0-9._-]
//   cpu = 1                   # optional; default: highest allowed CPU
//   node = 0                  # optional; default: the CPU's node
//   metrics = ["page_faults"] # optional; default: every metric of the event file
//   events = "path.toml"      # optional event file override
//   llc_size = "32MiB"        # optional; overrides sysfs and the CPU's cache descriptors
//   time_budget = "10m"       # optional; stop (resumable) when exceeded: s, m, h; not 0
//   record_batches = false    # time each clear batch (preemption latency); perturbs the zero phase
//   random_lines = 64         # K for access "random"
//   pool = 0                  # folios per pool; 0 = at least 4x the LLC (cold)
//   report_wait = "3s"        # memory host-reported: the wait after freeing, before each
//                             #   fault or re-population (past the ~2 s reporting delay);
//                             #   a whole number of s, m or h; every sample waits it
//   shootdown = false         # alias strategies: a sibling thread spins on another CPU, so
//                             # every unmap of the alias is a cross-CPU TLB shootdown
//
//   [axes]                    # required, with at least one key (an empty file is refused)
//   backing = ["thp"]                        # thp | mthp | hugetlb | base
//   folio_size = ["2MB", "1GB?"]             # 4KB 64KiB 2MB 1GB ... 1TB; "?": where available
//   strategy = ["extent", "kernel-fault"]    # `zeroscope strategies`, and kernel-fault
//   primitive = ["kernel"]                   # `zeroscope primitives`
//   target = ["first", "middle", 300, "offset:1MiB", "random"]
//   access = ["page", "stream:read"]         # pattern[:op], op write by default:
//                                            # none touch page neighbourhood stream
//                                            # folio random usemem; op read | write
//   cache = ["cold", "cold:clflush", "warm"]
//   batch = [0, 1, "8MiB"]                   # pages (0 = whole range) or a size
//   width = [2]
//   memory = ["recycled", "host-reported?"] # recycled | host-reported; "?": where the
//                                            # host discards free memory (free page reporting)
//
//   [[exclude]]                              # a point matching every key is left out
//   backing = "hugetlb"
//   strategy = ["left-right", "sequential"]
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/access.h"
#include "measure/experiment.h"
#include "measure/target.h"
#include "memory/cache_state.h"
#include "memory/folio_pool.h"
#include "sweep/axes.h"

namespace zs {

struct SweepSettings {
  std::uint64_t repetitions = 10;
  std::uint64_t warmup = 1;
  std::uint64_t seed = 1;
  std::string label;
  std::optional<int> cpu, node;
  std::vector<std::string> metrics;  // empty = all of the event file
  std::optional<std::string> events;
  std::optional<std::uint64_t> llc_size;
  std::optional<double> time_budget_s;
  bool record_batches = false;
  std::uint32_t random_lines = 64;
  std::uint64_t pool = 0;
  double report_wait_s = kDefaultReportWaitS;  // memory host-reported (measure/host_reported.h)
  bool shootdown = false;  // a sibling thread on another CPU during aliased samples
  // The seed of the interleaved order only, when it is not `seed`: a
  // replicate run (run --replicates) draws its own order (sweep/replicates.h).
  std::optional<std::uint64_t> order_seed;
};

// A value of an axis as written, with its line for messages.
template <class T>
struct AxisValue {
  T value;
  int line = 0;
  std::string text;  // as written, for messages and the expanded config
};

struct CacheSpec {
  CacheState state = CacheState::cold;
  Evict evict = Evict::pool;
};

struct ExcludeRule {
  int line = 0;
  // axis -> accepted values, as canonical text: point_key's component for
  // that axis ("2MB" -> "2097152", "page" -> "page:write", batch "8" -> "b8")
  std::vector<std::pair<sweep_axes::Axis, std::vector<std::string>>> match;
  // Rules the loader makes for sizes marked "?" that a backing cannot
  // provide here: why they are left out (empty for the file's own rules).
  std::string reason;
};

struct SweepConfig {
  std::string path;
  std::string text;  // the file as given
  SweepSettings settings;
  std::vector<AxisValue<Backing>> backing;
  std::vector<AxisValue<std::uint64_t>> folio_size;
  std::vector<AxisValue<std::string>> strategy;
  std::vector<AxisValue<std::string>> primitive;
  std::vector<AxisValue<TargetSpec>> target;
  std::vector<AxisValue<AccessSpec>> access;
  std::vector<AxisValue<CacheSpec>> cache;
  std::vector<AxisValue<std::uint64_t>> batch;  // in pages; sizes converted with the base page size
  std::vector<AxisValue<std::uint64_t>> width;
  // The default for a sweep built in memory; the loader reads the file's.
  std::vector<AxisValue<Memory>> memory = {AxisValue<Memory>{Memory::recycled, 0, "recycled"}};
  std::vector<ExcludeRule> exclude;
  // Points left out because this machine lacks an optional ("1GB?") size,
  // applied before `exclude`; each rule says why.
  std::vector<ExcludeRule> unavailable;
};

// Parses and checks a sweep file against this machine (names exist, sizes
// the backing can provide here, targets inside the folio, combinations that
// can run). Throws SetupError "path:line: key: problem"; unknown keys get the
// nearest valid key suggested, unknown names the list of valid ones.
SweepConfig load_sweep_config(const std::string& path);

// The checks of one strategy or primitive name that need no other value,
// the same for a file and a flag: nullopt when usable here, else the
// problem ("unknown 'x'; did you mean ...? allowed: ...").
std::optional<std::string> strategy_problem(const std::string& name);
std::optional<std::string> primitive_problem(const std::string& name, bool name_only = false);

// The points of the sweep, in a stable order (the axes' order), deduplicated
// where a parameter does not apply, minus the excluded ones. Every point's
// Point::access.random_lines is the settings' value.
std::vector<Point> expand_sweep(const SweepConfig& config);

// A point's identity, stable across runs and machines, for resume and
// compare: "thp/2097152/extent/stosb/first/page:write/cold:pool/b0/w-", with
// "/host-reported" appended for memory host-reported (recycled adds nothing).
// kernel-fault and non-applicable parameters appear as "-".
std::string point_key(const Point& p);

// The config as given (text) and as expanded (settings + points), for
// meta.json.
nlohmann::json sweep_to_json(const SweepConfig& config, const std::vector<Point>& points);
nlohmann::json point_to_json(const Point& p);

}  // namespace zs
