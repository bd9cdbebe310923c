// The kernel's preemption model (none, voluntary, full, lazy, rt) and where
// that answer comes from: the live setting in debugfs when readable, else
// the boot argument of a PREEMPT_DYNAMIC kernel, else uname -v, else the
// build config (/proc/config.gz, then /boot/config-<release>). A pure
// function of those texts, so each path is tested. The model decides how
// folio_zero_user() batches its clearing (docs/kernel-zeroing.md).
#pragma once

#include <optional>
#include <string>

namespace zs {

inline constexpr const char* kPreemptDebugfs = "/sys/kernel/debug/sched/preempt";

struct PreemptInputs {
  std::optional<std::string> debugfs;  // kPreemptDebugfs: "none voluntary (full) lazy"
  std::string uname_version;           // uname -v: "#1 SMP PREEMPT_DYNAMIC ..."
  std::string cmdline;                 // /proc/cmdline
  std::optional<std::string> config;   // the kernel's build config, when readable
  // Where config came from ("/boot/config-6.8.0-45-generic", "/proc/config.gz"),
  // or, when it is nullopt, where it was looked for.
  std::string config_source;
};

struct PreemptModel {
  std::optional<std::string> model;  // nullopt: undetermined, `why` says so
  std::string source;                // where the model (or the verdict) came from
  std::string why;
  // PREEMPT_DYNAMIC: the model can be chosen at boot (preempt=) or run time.
  bool dynamic = false;
  std::string dynamic_source;  // what says so (uname -v, the config), or where it was looked for
};

PreemptModel preemption_model(const PreemptInputs& in);

// Reads the inputs from this machine: debugfs, uname, /proc/cmdline, and
// the config from /proc/config.gz, else /boot/config-<release>.
PreemptInputs read_preempt_inputs();

}  // namespace zs
