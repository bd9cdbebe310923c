// The bounds of every number a user can set, one table for the CLI's typed
// options (CLI::Range / check) and the config loader, so a value refused in
// one is refused in the other with the same bounds. Bounds that depend on
// other values (a target below the folio's page count, a width within the
// folio) are checked where those values meet, by the same code for flags
// and configs (sweep/).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zs {

struct Limit {
  std::string_view name;  // the neutral name (config key where one exists)
  std::uint64_t min, max;
  std::string_view unit;  // "" or what is counted ("pages", "folios")
};

namespace limits {
inline constexpr Limit repetitions{"repetitions", 1, 1'000'000, ""};
inline constexpr Limit warmup{"warmup", 0, 1'000'000, ""};
inline constexpr Limit seed{"seed", 0, UINT64_MAX, ""};
inline constexpr Limit random_lines{"random_lines", 1, 1u << 24, "lines"};
inline constexpr Limit cpu{"cpu", 0, 1u << 20, ""};
inline constexpr Limit node{"node", 0, 1u << 20, ""};
inline constexpr Limit pool{"pool", 1, 1u << 20, "folios"};
// 2^40 pages is 4 PiB of 4 KiB pages: far beyond any folio, but small
// enough that every page index fits in a plan's arithmetic.
inline constexpr Limit pages{"pages", 1, 1ull << 40, "pages"};
inline constexpr Limit width{"width", 0, 1ull << 40, "pages"};
inline constexpr Limit batch{"batch", 1, 1ull << 40, "pages"};
inline constexpr Limit page_size{"page_size", 1, 1ull << 30, "bytes"};
inline constexpr Limit loops{"loops", 1, 1u << 30, ""};
// run --replicates: independent runs of one config (one run has no
// run-to-run variance; more than 100 is a campaign, not a run).
inline constexpr Limit replicates{"replicates", 2, 100, "runs"};
// memory host-reported: the wait after freeing (the kernel reports after
// about 2 s; an hour per sample is a mistake, not a setting).
inline constexpr Limit report_wait{"report_wait", 1, 3600, "seconds"};
// Event files: CPU identification fields (family, model, implementer,
// part) and perf_event_attr config words.
inline constexpr Limit cpu_id{"cpu_id", 0, UINT32_MAX, ""};
inline constexpr Limit perf_config{"config", 0, UINT64_MAX, ""};
}  // namespace limits

// A label (the config's `label`, run's flag) ends the results directory's
// name: at most kLabelMax characters of [A-Za-z0-9._-].
inline constexpr std::size_t kLabelMax = 64;
// nullopt for a valid label, else why not (the label quoted, control
// characters escaped): "'a/b' cannot be a directory suffix; use ...".
std::optional<std::string> label_problem(std::string_view label);

// "must be in [1, 1000000], got 0" for a value outside [min, max].
std::string range_problem(std::uint64_t min, std::uint64_t max, std::int64_t got);

// "an integer in [1, 1000000]" (with " pages" etc. when the limit has a unit).
std::string allowed(const Limit& l);
// nullopt when v is within the limit, else "1000001 is out of range;
// allowed: an integer in [1, 1000000]".
std::optional<std::string> out_of_range(const Limit& l, std::uint64_t v);

}  // namespace zs
