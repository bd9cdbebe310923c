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

KernelConfig read_kernel_config(const std::string& release) {
  const std::string boot = "/boot/config-" + release, proc = "/proc/config.gz";
  if (auto text = read_plain(boot)) return {std::move(text), boot};
  if (auto text = read_gzip(proc)) return {std::move(text), proc};
  return {std::nullopt, ZS_HAVE_ZLIB ? boot + " or " + proc : boot};
}

}  // namespace zs
