#include "machine/kernel_config.h"

#include <fstream>
#include <sstream>

#if ZS_HAVE_ZLIB
#include <zlib.h>
#endif

namespace zs {
namespace {

std::optional<std::string> read_plain(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::optional<std::string> read_gzip(const std::string& path) {
#if ZS_HAVE_ZLIB
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) return std::nullopt;
  std::string out;
  char buf[1 << 14];
  int got;
  while ((got = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(got));
  const bool ok = got == 0;
  gzclose(f);
  if (!ok) return std::nullopt;
  return out;
#else
  (void)path;
  return std::nullopt;  // built without zlib
#endif
}

}  // namespace

bool config_gzip_supported() { return ZS_HAVE_ZLIB; }

std::optional<std::string> read_config_file(const std::string& path) {
  const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  return gz ? read_gzip(path) : read_plain(path);
}

KernelConfig read_kernel_config(const std::string& release) {
  // The kernel's own copy first: it is the running build by construction,
  // while /boot may hold a file of the same name from another build.
  const std::string boot = "/boot/config-" + release, proc = "/proc/config.gz";
  for (const std::string& path : {proc, boot})
    if (auto text = read_config_file(path)) return {std::move(text), path};
  return {std::nullopt, config_gzip_supported() ? proc + " or " + boot : boot};
}

}  // namespace zs
