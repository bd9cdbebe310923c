// The residency.csv reader on arbitrary bytes, strict and lenient: a
// refusal is a SetupError ("NAME:LINE: problem"); anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/errors.h"
#include "report/residency_text.h"
#include "results/residency_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool lenient : {false, true}) {
    try {
      const zs::ResidencyFile f = zs::parse_residency(text, "residency.csv", lenient);
      // What the report asks of every row.
      (void)zs::render_residency_text(zs::summarize_residency(f.rows, {}));
    } catch (const zs::SetupError&) {
    }
  }
  return 0;
}
