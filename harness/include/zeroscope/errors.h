// The first tier of errors: something wrong before measuring starts (a bad
// config or flag, a pool too small, a missing permission). The message is
// one line naming the cause and the fix; the CLI prints it and exits 2.
#pragma once

#include <stdexcept>

namespace zs {

struct SetupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace zs
