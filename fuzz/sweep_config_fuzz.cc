// The sweep-file loader on arbitrary bytes: a refusal is a SetupError
// ("path:line: key: problem"); anything else (a crash, a leak, undefined
// behaviour, another exception) is a bug.
#include <cstddef>
#include <cstdint>

#include "common/errors.h"
#include "input_file.h"
#include "sweep/sweep_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = zs::fuzz::input_file(data, size, ".toml");
  try {
    const zs::SweepConfig config = zs::load_sweep_config(path);
    (void)zs::expand_sweep(config);
  } catch (const zs::SetupError&) {
  }
  return 0;
}
