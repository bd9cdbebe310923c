// Library errors as the CLI shows them: the option a SetupError is about
// becomes the flag prefix ("--cpu: ..."), and every option_ref() in the
// message becomes that option's flag.
#pragma once

#include <string>
#include <string_view>

#include "common/errors.h"

namespace zs::cli {

// "--reserve-hugetlb"; "" for Option::none. Options that are positional
// arguments read as their placeholder ("CONFIG").
std::string_view flag_of(Option o);
std::string error_text(const SetupError& e);

}  // namespace zs::cli
