#include "memory/settings_state.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/parse.h"

namespace zs {

namespace {

constexpr const char* kRootStateDir = "/run/zeroscope";
constexpr std::size_t kCmdMax = 200;

std::string user_state_dir() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/zeroscope";
  return fmt::format("/tmp/zeroscope-{}", ::geteuid());
}

// NUL-separated arguments as one printable line, cut at kCmdMax.
std::string printable_args(const std::string& raw) {
  std::string out;
  for (char c : raw) {
    if (out.size() >= kCmdMax) return out + "...";
    const auto u = static_cast<unsigned char>(c);
    out.push_back(c == '\0' ? ' ' : (u < 0x20 || u == 0x7f ? '?' : c));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string cmdline_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return printable_args(raw);
}

}  // namespace

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
    } else if (line.rfind("cmd ", 0) == 0) {
      s.cmd = line.substr(4);
    } else if (line.rfind("order ", 0) == 0) {
      auto v = parse_u64(line.substr(6));
      if (!v) return std::nullopt;
      s.order = *v;
    } else {
      return std::nullopt;
    }
  }
  if (s.pid == 0) return std::nullopt;
  return s;
}

std::string format_settings_record(const SettingsRecord& record) {
  std::string out =
      "# zeroscope: a system setting changed by a run, with its original; any later zeroscope\n"
      "# command restores it once that process has died without doing so\n";
  out += fmt::format("pid {}\nboot {}\n", record.pid, record.boot);
  if (!record.cmd.empty()) out += fmt::format("cmd {}\n", record.cmd);
  if (record.order != 0) out += fmt::format("order {}\n", record.order);
  for (const auto& [path, original] : record.settings) out += path + "\t" + original + "\n";
  return out;
}

std::string settings_state_dir() {
  const char* dir = std::getenv("ZS_STATE_DIR");
  if (dir != nullptr && *dir != '\0') return dir;
  return ::geteuid() == 0 ? kRootStateDir : user_state_dir();
}

std::vector<std::string> settings_state_dirs() {
  const char* dir = std::getenv("ZS_STATE_DIR");
  if (dir != nullptr && *dir != '\0') return {dir};
  if (::geteuid() == 0) return {kRootStateDir};
  return {kRootStateDir, user_state_dir()};
}

std::string settings_record_path(const std::string& dir, const std::string& setting_path) {
  // A readable tail (the setting's directory and name) and a hash of the
  // whole path, which keeps names unique and short.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : setting_path) h = (h ^ c) * 1099511628211ull;
  auto slash = setting_path.rfind('/');
  auto parent = slash == std::string::npos || slash == 0 ? 0 : setting_path.rfind('/', slash - 1);
  std::string tail = setting_path.substr(parent == std::string::npos ? 0 : parent + 1);
  if (tail.size() > 80) tail = tail.substr(tail.size() - 80);
  for (char& c : tail)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) c = '.';
  return fmt::format("{}/{}.{:016x}.state", dir, tail, h);
}

std::vector<std::string> settings_records_in(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > 6 && name.compare(name.size() - 6, 6, ".state") == 0)
      out.push_back(dir + "/" + name);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void ensure_state_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      // Readable by all (an older version made it 0700): any user's command
      // learns that a dead root run left a setting changed.
      if (st.st_uid == ::geteuid() && (st.st_mode & 0755) != 0755) ::chmod(dir.c_str(), 0755);
      return;
    }
  }
  throw SetupError(
      fmt::format("cannot create the settings state directory {} ({}); set ZS_STATE_DIR "
                  "to a writable directory",
                  dir, std::strerror(errno)));
}

int write_private_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno;
  ssize_t put = ::write(fd, text.data(), text.size());
  int err = put < 0 ? errno : (static_cast<std::size_t>(put) != text.size() ? EIO : 0);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err) ::unlink(path.c_str());
  return err;
}

std::string own_command_line() { return cmdline_file("/proc/self/cmdline"); }

std::string command_line_of(long pid) {
  return pid > 0 ? cmdline_file(fmt::format("/proc/{}/cmdline", pid)) : "";
}

}  // namespace zs
