// What built this binary: the project version and `git describe --always
// --dirty` of the source tree at build time.
#pragma once

namespace zs {
const char* build_version();
const char* build_git_commit();
}  // namespace zs
