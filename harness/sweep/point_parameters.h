// Which parameters a point's strategy takes: kernel-fault none (the kernel
// zeroes), a preset (upstream) fixes width and batch itself. A parameter
// that does not apply does not multiply the points and reads "-" in keys.
#pragma once

#include "measure/experiment.h"

namespace zs {

struct Applies {
  bool primitive = true, width = true, batch = true;
};
Applies applies(const Point& p);

}  // namespace zs
