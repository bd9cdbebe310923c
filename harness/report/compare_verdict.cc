#include "report/compare_verdict.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "common/errors.h"

namespace zs {

namespace {
const std::string& no_verdict() {
  static const std::string text = "-";
  return text;
}
}  // namespace

void withhold_verdicts(Comparison& c) {
  if (c.run_level) return;
  const bool all_one =
      std::all_of(c.runs.begin(), c.runs.end(), [](std::size_t n) { return n == 1; });
  c.verdict_why = fmt::format("{}: no verdict, run-to-run variance unknown; use {}",
                              all_one ? "one run per side" : "one run on a side",
                              option_ref(Option::replicates));
  for (CompareEntry& e : c.entries) e.verdict = no_verdict();
}

nlohmann::json verdict_json(const CompareEntry& e) {
  return e.verdict == no_verdict() ? nlohmann::json() : nlohmann::json(e.verdict);
}

}  // namespace zs
