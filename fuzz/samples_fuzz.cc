// The samples.csv reader on arbitrary bytes: a refusal is a SetupError
// ("NAME:LINE: problem"); anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/errors.h"
#include "results/samples_schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const zs::SamplesFile f = zs::parse_samples(text, "samples.csv");
    // What the summary asks of every row.
    for (const zs::SampleRow& r : f.rows) (void)zs::measured_values(r);
    (void)zs::measured_columns(f.layout);
  } catch (const zs::SetupError&) {
  }
  return 0;
}
