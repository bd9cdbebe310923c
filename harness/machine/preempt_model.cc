#include "machine/preempt_model.h"

#include <sys/utsname.h>

#include <set>
#include <sstream>
#include <utility>

#include "machine/kernel_config.h"
#include "machine/procfs.h"
#include "machine/sysfs.h"

namespace zs {

PreemptModel preemption_model(const PreemptInputs& in) {
  const std::string dbg = kPreemptDebugfs;
  if (in.debugfs) return {procfs::selected_choice(*in.debugfs), dbg, ""};

  std::istringstream words(in.uname_version);
  bool dynamic = false, rt = false, full = false;
  for (std::string w; words >> w;) {
    dynamic |= w == "PREEMPT_DYNAMIC";
    rt |= w == "PREEMPT_RT";
    full |= w == "PREEMPT";
  }
  const std::string uname = "uname -v '" + in.uname_version + "'";
  if (dynamic)
    if (auto arg = procfs::cmdline_value(in.cmdline, "preempt"))
      return {*arg,
              "/proc/cmdline preempt=" + *arg + " (PREEMPT_DYNAMIC kernel; " + dbg + " unreadable)",
              ""};
  if (rt || (full && !dynamic)) return {rt ? "rt" : "full", uname, ""};

  if (in.config) {
    const std::set<std::string> set = procfs::config_enabled(*in.config);
    // PREEMPT_RT stands beside the NONE/VOLUNTARY/FULL/LAZY choice in newer
    // kernels, so it is looked at first.
    static const std::pair<const char*, const char*> kModels[] = {
        {"CONFIG_PREEMPT_RT", "rt"},
        {"CONFIG_PREEMPT_NONE", "none"},
        {"CONFIG_PREEMPT_VOLUNTARY", "voluntary"},
        {"CONFIG_PREEMPT", "full"},
        {"CONFIG_PREEMPT_LAZY", "lazy"}};
    for (auto [opt, model] : kModels)
      if (set.count(opt))
        return {model,
                in.config_source + " " + opt + "=y" +
                    (dynamic ? " (the build default of a PREEMPT_DYNAMIC kernel; " + dbg +
                                   " unreadable, so a change at run time would not show)"
                             : ""),
                ""};
  }
  std::string why =
      dynamic
          ? "PREEMPT_DYNAMIC kernel (uname -v): the model is chosen at boot or run time, and "
            "neither " +
                dbg + " (debugfs), a preempt= boot argument nor " + in.config_source + " says which"
          : "uname -v names no PREEMPT flag: none or voluntary, which it does not "
            "distinguish, and " +
                in.config_source + (in.config ? " names neither" : " is unreadable");
  return {std::nullopt, uname, std::move(why)};
}

PreemptInputs read_preempt_inputs() {
  PreemptInputs in;
  in.debugfs = sysfs::read(kPreemptDebugfs);
  utsname u{};
  std::string release;
  if (::uname(&u) == 0) {
    in.uname_version = u.version;
    release = u.release;
  }
  in.cmdline = sysfs::read("/proc/cmdline").value_or("");
  KernelConfig config = read_kernel_config(release);
  in.config = std::move(config.text);
  in.config_source = std::move(config.source);
  return in;
}

}  // namespace zs
