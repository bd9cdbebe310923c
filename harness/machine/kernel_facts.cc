#include "machine/kernel_facts.h"

#include <sys/utsname.h>

#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "common/parse.h"
#include "machine/kernel_config.h"
#include "machine/procfs.h"
#include "machine/sysfs.h"

namespace zs {

namespace fs = std::filesystem;

std::optional<std::string> config_value(std::string_view config, std::string_view option) {
  std::istringstream lines{std::string(config)};
  const std::string prefix = std::string(option) + "=";
  for (std::string l; std::getline(lines, l);)
    if (l.rfind(prefix, 0) == 0) return l.substr(prefix.size());
  return std::nullopt;
}

BoolFact init_flag(std::string_view cmdline, std::string_view arg, std::string_view config_option,
                   const std::optional<std::string>& config, const std::string& config_source) {
  // The kernel parses the argument with kstrtobool: 1/y/on and 0/n/off.
  std::string bad;
  if (auto v = procfs::cmdline_value(cmdline, arg)) {
    const std::string s = *v;
    if (s == "1" || s == "y" || s == "Y" || s == "on")
      return {true, fmt::format("boot argument {}={}", arg, s)};
    if (s == "0" || s == "n" || s == "N" || s == "off")
      return {false, fmt::format("boot argument {}={}", arg, s)};
    bad = fmt::format("; boot argument {}={} is not a boolean, so the kernel kept its default", arg,
                      s);
  }
  if (!config)
    return {std::nullopt,
            fmt::format("no {}= boot argument, and {} is unreadable{}", arg, config_source, bad)};
  const bool on = config_value(*config, config_option) == "y";
  return {on, fmt::format("default: {} {}{}", config_option,
                          on ? "=y in " + config_source : "not set in " + config_source, bad)};
}

OrderFact max_page_order(const std::optional<std::string>& buddyinfo,
                         const std::optional<std::string>& pagetypeinfo,
                         const std::optional<std::string>& config,
                         const std::string& config_source) {
  // "Node 0, zone   Normal  27306  36975 ...": one count per order 0..MAX.
  if (buddyinfo) {
    std::istringstream lines(*buddyinfo);
    for (std::string l; std::getline(lines, l);) {
      const auto z = l.find("zone");
      if (z == std::string::npos) continue;
      std::istringstream words(l.substr(z + 4));
      std::string name, w;
      words >> name;
      unsigned n = 0;
      while (words >> w) n += parse_u64(w).has_value() ? 1 : 0;
      if (n > 0) return {n - 1, fmt::format("/proc/buddyinfo ({} order columns)", n)};
    }
  }
  if (pagetypeinfo) {
    std::istringstream lines(*pagetypeinfo);
    for (std::string l; std::getline(lines, l);) {
      const auto at = l.find("at order");
      if (at == std::string::npos) continue;
      std::istringstream words(l.substr(at + 8));
      unsigned n = 0;
      for (std::string w; words >> w;) n += parse_u64(w).has_value() ? 1 : 0;
      if (n > 0) return {n - 1, fmt::format("/proc/pagetypeinfo ({} order columns)", n)};
    }
  }
  if (config)
    if (auto v = config_value(*config, "CONFIG_ARCH_FORCE_MAX_ORDER"))
      if (auto n = parse_u64(*v))
        return {static_cast<unsigned>(*n),
                fmt::format("{} CONFIG_ARCH_FORCE_MAX_ORDER={}", config_source, *n)};
  return {10u,
          "the kernel's default (10): /proc/buddyinfo and /proc/pagetypeinfo unreadable, no "
          "CONFIG_ARCH_FORCE_MAX_ORDER in " +
              config_source};
}

FreePageReporting free_page_reporting(bool balloon_bound,
                                      const std::optional<std::string>& features,
                                      const std::optional<std::string>& order_param,
                                      std::string_view cmdline) {
  constexpr std::size_t kReportingBit = 5;  // VIRTIO_BALLOON_F_REPORTING
  FreePageReporting r;
  if (!balloon_bound) {
    r.source = "no virtio-balloon device bound (/sys/bus/virtio/drivers/virtio_balloon)";
    return r;
  }
  std::string how;
  if (features && features->size() > kReportingBit) {
    r.active = (*features)[kReportingBit] == '1';
    how = r.active
              ? "virtio-balloon with VIRTIO_BALLOON_F_REPORTING"
              : "virtio-balloon without VIRTIO_BALLOON_F_REPORTING (the host did not offer it)";
  } else {
    r.active = true;
    how = "virtio-balloon bound (its features unreadable: reporting assumed)";
  }
  const std::string arg = "page_reporting.page_reporting_order";
  if (order_param) {
    const std::string live = order_param->substr(0, order_param->find_first_of(" \n"));
    if (auto n = parse_u64(live)) {
      r.order = static_cast<unsigned>(*n);
      r.source = how + "; order from /sys/module/page_reporting/parameters/page_reporting_order";
      if (auto boot = procfs::cmdline_value(cmdline, arg); boot && *boot != live)
        r.source += fmt::format(" (the boot argument {}={} was not taken)", arg, *boot);
      return r;
    }
  }
  if (auto boot = procfs::cmdline_value(cmdline, arg))
    if (auto n = parse_u64(*boot)) {
      r.order = static_cast<unsigned>(*n);
      r.source = how + "; order from the boot argument " + arg;
      return r;
    }
  r.source = how + "; order unknown (no page_reporting module parameter or boot argument)";
  return r;
}

BoolFact caches_alias(std::string_view machine) {
  if (machine == "x86_64" || machine == "aarch64" || machine == "arm64")
    return {false, fmt::format("architecture {}: caches do not alias", machine)};
  return {std::nullopt, fmt::format("architecture '{}': whether its caches alias is not known to "
                                    "zeroscope",
                                    machine)};
}

KernelFacts read_kernel_facts() {
  KernelFacts f;
  utsname u{};
  if (::uname(&u) == 0) {
    f.release = u.release;
    f.machine = u.machine;
  }
  PreemptInputs in = read_preempt_inputs();
  f.preemption = preemption_model(in);
  f.init_on_alloc = init_flag(in.cmdline, "init_on_alloc", "CONFIG_INIT_ON_ALLOC_DEFAULT_ON",
                              in.config, in.config_source);
  f.init_on_free = init_flag(in.cmdline, "init_on_free", "CONFIG_INIT_ON_FREE_DEFAULT_ON",
                             in.config, in.config_source);
  f.max_page_order = max_page_order(sysfs::read("/proc/buddyinfo"),
                                    sysfs::read("/proc/pagetypeinfo"), in.config, in.config_source);
  const std::string drv = "/sys/bus/virtio/drivers/virtio_balloon";
  std::optional<std::string> features;
  bool bound = false;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(drv, ec))
    if (e.path().filename().string().rfind("virtio", 0) == 0) {
      bound = true;
      features = sysfs::read(e.path().string() + "/features");
      break;
    }
  f.free_page_reporting = free_page_reporting(
      bound, features, sysfs::read("/sys/module/page_reporting/parameters/page_reporting_order"),
      in.cmdline);
  f.caches_alias = caches_alias(f.machine);
  return f;
}

}  // namespace zs
