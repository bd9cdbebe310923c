// The running kernel's build config, for what only the build says (the
// default preemption model, init_on_alloc's default): the kernel's own in
// /proc/config.gz (CONFIG_IKCONFIG_PROC), else the distribution's copy in /boot.
#pragma once

#include <optional>
#include <string>

namespace zs {

struct KernelConfig {
  std::optional<std::string> text;  // the config, uncompressed; nullopt when unreadable
  std::string source;               // the file read, or the places looked in
};
KernelConfig read_kernel_config(const std::string& release);

// One config file, gunzipped when its name ends in ".gz" (nullopt when
// unreadable, or a .gz where zeroscope was built without zlib).
std::optional<std::string> read_config_file(const std::string& path);
// Whether ".gz" files can be read here.
bool config_gzip_supported();

}  // namespace zs
