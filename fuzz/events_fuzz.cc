// The event-file loader on arbitrary bytes: a refusal is a SetupError
// ("path:line: key: problem"); anything else is a bug.
#include <cstddef>
#include <cstdint>

#include "common/errors.h"
#include "counters/events.h"
#include "input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = zs::fuzz::input_file(data, size, ".toml");
  try {
    (void)zs::load_event_file(path);
  } catch (const zs::SetupError&) {
  }
  return 0;
}
