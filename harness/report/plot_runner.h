// Running the plot scripts (plots/*.py) from `zeroscope report --plots` and
// `compare --plots`: the program and its arguments as a vector, started
// with posix_spawn (no shell, so no quoting: a directory named "it's" is
// one argument), waited for, its exit status returned.
#pragma once

#include <string>
#include <vector>

namespace zs {

struct ProgramExit {
  int code = 0;       // the exit status; 128 + N when killed by signal N; 127 when it did not start
  std::string error;  // why it did not start (or could not be waited for); "" otherwise
};

// argv[0] is the program, found on PATH when it has no '/'. The child
// inherits the environment, the standard streams (flushed first, so the
// tables printed before it come first) and the working directory.
ProgramExit run_program(const std::vector<std::string>& argv);

}  // namespace zs
