// The report's lines on access sensitivity (meta.json `access_sensitivity`,
// measure/access_sensitivity.h): each access pattern of the run, its cost on
// a folio just written against one evicted, and one line saying which
// patterns can tell strategies apart on this machine and which cannot.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/access_sensitivity.h"

namespace zs {

// From meta.json; empty for runs recorded before it was measured.
std::vector<AccessSensitivity> access_sensitivity_of(const nlohmann::json& meta);

// Text (at most 80 columns) and markdown; "" when there is nothing.
std::string render_access_sensitivity_text(const std::vector<AccessSensitivity>& v);
std::string render_access_sensitivity_markdown(const std::vector<AccessSensitivity>& v);

// "page:write, stream:read" / "touch:write": which separate, which do not.
std::string separating_line(const std::vector<AccessSensitivity>& v);

}  // namespace zs
