#include "machine/sysfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "common/parse.h"
#include "machine/procfs.h"

namespace zs::sysfs {

std::optional<std::string> read(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      int saved = errno;
      ::close(fd);
      errno = saved;
      return std::nullopt;
    }
    if (got == 0) break;
    out.append(buf, static_cast<std::size_t>(got));
  }
  ::close(fd);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::optional<std::uint64_t> read_u64(const std::string& path) {
  auto s = read(path);
  if (!s) return std::nullopt;
  return parse_u64(*s);
}

std::optional<std::int64_t> read_i64(const std::string& path) {
  auto s = read(path);
  if (!s || s->empty()) return std::nullopt;
  std::int64_t v = 0;
  const char* end = s->data() + s->size();
  auto [ptr, ec] = std::from_chars(s->data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

std::optional<std::string> write(const std::string& path, const std::string& value) {
  // O_TRUNC matters only for regular files (tests, state files); sysfs
  // ignores it. One write() call: a sysfs store sees exactly one buffer.
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) {
    int saved = errno;
    std::string err = path + ": " + std::strerror(saved);
    errno = saved;
    return err;
  }
  ssize_t put;
  do put = ::write(fd, value.data(), value.size());
  while (put < 0 && errno == EINTR);
  int saved = put < 0 ? errno : (static_cast<std::size_t>(put) != value.size() ? EIO : 0);
  if (::close(fd) != 0 && saved == 0) saved = errno;
  if (saved == 0) return std::nullopt;
  errno = saved;
  return path + ": " + std::strerror(saved);
}

std::string selected(const std::string& choices) { return procfs::selected_choice(choices); }

std::uint64_t hugepages_dir_bytes(const std::string& name) {
  const std::string prefix = "hugepages-", suffix = "kB";
  if (name.size() <= prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return 0;
  auto kb = parse_u64(
      std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - suffix.size()));
  return kb ? *kb << 10 : 0;
}

}  // namespace zs::sysfs
