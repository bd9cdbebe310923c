#include "memory/settings_state.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/parse.h"

namespace zs {

std::optional<SettingsRecord> parse_settings_record(const std::string& text) {
  SettingsRecord s;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab != std::string::npos) {
      s.settings.emplace_back(line.substr(0, tab), line.substr(tab + 1));
    } else if (line.rfind("pid ", 0) == 0) {
      auto v = parse_u64(line.substr(4));
      if (!v) return std::nullopt;
      s.pid = static_cast<long>(*v);
    } else if (line.rfind("boot ", 0) == 0) {
      s.boot = line.substr(5);
    } else {
      return std::nullopt;
    }
  }
  if (s.pid == 0) return std::nullopt;
  return s;
}

std::string format_settings_record(const SettingsRecord& record) {
  std::string out =
      "# zeroscope: system settings changed by a run, with their originals; the next run\n"
      "# restores them if that process died without doing so\n";
  out += fmt::format("pid {}\nboot {}\n", record.pid, record.boot);
  for (const auto& [path, original] : record.settings) out += path + "\t" + original + "\n";
  return out;
}

std::string settings_state_path() {
  const char* dir = std::getenv("ZS_STATE_DIR");
  if (dir != nullptr && *dir != '\0') return std::string(dir) + "/settings.state";
  if (::geteuid() == 0) return "/run/zeroscope/settings.state";
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/zeroscope/settings.state";
  return fmt::format("/tmp/zeroscope-{}/settings.state", ::geteuid());
}

void ensure_state_dir(const std::string& state_path) {
  const std::string dir = state_path.substr(0, state_path.rfind('/'));
  if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return;
  }
  throw SetupError(
      fmt::format("cannot create the settings state directory {} ({}); set ZS_STATE_DIR "
                  "to a writable directory",
                  dir, std::strerror(errno)));
}

int write_private_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return errno;
  ssize_t put = ::write(fd, text.data(), text.size());
  int err = put < 0 ? errno : (static_cast<std::size_t>(put) != text.size() ? EIO : 0);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err) ::unlink(path.c_str());
  return err;
}

}  // namespace zs
