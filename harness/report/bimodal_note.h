// The report's footnote on `b`: what the mark means and what to do about a
// cost with two modes, which no single median describes.
#pragma once

#include <string>

namespace zs {

std::string bimodal_note();

}  // namespace zs
