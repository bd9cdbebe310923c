// The running kernel's build config, for what only the build says (the
// default preemption model): the distribution's copy in /boot, else the
// kernel's own in /proc/config.gz (CONFIG_IKCONFIG_PROC).
#pragma once

#include <optional>
#include <string>

namespace zs {

struct KernelConfig {
  std::optional<std::string> text;  // the config, uncompressed; nullopt when unreadable
  std::string source;               // the file read, or the places looked in
};
KernelConfig read_kernel_config(const std::string& release);

}  // namespace zs
