#include "machine/preempt_model.h"

#include <sys/utsname.h>

#include <set>
#include <sstream>
#include <utility>

#include "machine/kernel_config.h"
#include "machine/procfs.h"
#include "machine/sysfs.h"

namespace zs {

namespace {

PreemptModel made(std::optional<std::string> model, std::string source, std::string why) {
  PreemptModel m;
  m.model = std::move(model);
  m.source = std::move(source);
  m.why = std::move(why);
  return m;
}

PreemptModel model_of(const PreemptInputs& in, bool dynamic) {
  const std::string dbg = kPreemptDebugfs;
  if (in.debugfs) return made(procfs::selected_choice(*in.debugfs), dbg, "");

  std::istringstream words(in.uname_version);
  bool rt = false, full = false;
  for (std::string w; words >> w;) {
    rt |= w == "PREEMPT_RT";
    full |= w == "PREEMPT";
  }
  const std::string uname = "uname -v '" + in.uname_version + "'";
  if (dynamic)
    if (auto arg = procfs::cmdline_value(in.cmdline, "preempt"))
      return made(
          *arg,
          "/proc/cmdline preempt=" + *arg + " (PREEMPT_DYNAMIC kernel; " + dbg + " unreadable)",
          "");
  if (rt || (full && !dynamic)) return made(rt ? "rt" : "full", uname, "");

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
        return made(model,
                    in.config_source + " " + opt + "=y" +
                        (dynamic ? " (the build default of a PREEMPT_DYNAMIC kernel; " + dbg +
                                       " unreadable, so a change at run time would not show)"
                                 : ""),
                    "");
  }
  std::string why =
      dynamic
          ? "PREEMPT_DYNAMIC kernel (uname -v): the model is chosen at boot or run time, and "
            "neither " +
                dbg + " (debugfs), a preempt= boot argument nor " + in.config_source + " says which"
          : "uname -v names no PREEMPT flag: none or voluntary, which it does not "
            "distinguish, and " +
                in.config_source + (in.config ? " names neither" : " is unreadable");
  return made(std::nullopt, uname, std::move(why));
}

}  // namespace

PreemptModel preemption_model(const PreemptInputs& in) {
  std::istringstream words(in.uname_version);
  bool by_uname = false;
  for (std::string w; words >> w;) by_uname |= w == "PREEMPT_DYNAMIC";
  const bool by_config =
      in.config && procfs::config_enabled(*in.config).count("CONFIG_PREEMPT_DYNAMIC");
  PreemptModel m = model_of(in, by_uname || by_config);
  m.dynamic = by_uname || by_config;
  if (by_config)
    m.dynamic_source = in.config_source + " CONFIG_PREEMPT_DYNAMIC=y";
  else if (by_uname)
    m.dynamic_source = "uname -v names PREEMPT_DYNAMIC";
  else
    m.dynamic_source = "neither uname -v nor " + in.config_source + " names PREEMPT_DYNAMIC";
  return m;
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
