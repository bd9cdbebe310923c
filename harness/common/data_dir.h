// Where zeroscope's shipped data lies: the event files, the plot scripts and
// the sweep configs. One lookup, so that an installed tree and the build tree
// both work without absolute paths compiled into the call sites.
#pragma once

#include <string>

namespace zs {

enum class DataDir {
  events,   // configs/events/*.toml  -> <prefix>/share/zeroscope/events
  plots,    // plots/*.py             -> <prefix>/share/zeroscope/plots
  configs,  // configs/*.toml         -> <prefix>/share/zeroscope/configs
};

// The installed directory beside the running program
// (/proc/self/exe/../../share/zeroscope/<dir>) when it exists; otherwise, in
// the build tree, the source tree's directory; when neither exists, the
// installed path, so that a message naming it says where it was expected.
std::string data_dir(DataDir d);

}  // namespace zs
