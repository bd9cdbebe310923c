#include "results/results_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/errors.h"

namespace zs {

std::string results_dir_name(const std::string& label) {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  std::string name = fmt::format("{}-{}", local_stamp_now(), host);
  if (!label.empty()) name += "-" + label;
  for (char& c : name)
    if (c == '/' || c == ' ') c = '_';
  return name;
}

void write_json_atomically(const std::string& dir, const std::string& name,
                           const nlohmann::json& j) {
  const std::string tmp = dir + "/." + name + ".tmp", dst = dir + "/" + name;
  {
    std::ofstream out(tmp);
    out << j.dump(2) << "\n";
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", tmp));
  }
  int fd = open(tmp.c_str(), O_RDONLY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  if (std::rename(tmp.c_str(), dst.c_str()) != 0)
    throw std::runtime_error(
        fmt::format("cannot rename {} to {}: {}", tmp, dst, std::strerror(errno)));
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SetupError(fmt::format("{}: cannot read it", path));
  try {
    return nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw SetupError(fmt::format("{}: not valid JSON ({})", path, e.what()));
  }
}

SamplesWriter::SamplesWriter(const std::string& path, const SamplesLayout& layout) : path_(path) {
  const std::string want = format_header(layout);
  struct stat st {};
  const bool exists = stat(path.c_str(), &st) == 0;
  if (exists) {
    // Resume: the same columns, and nothing after the last complete line
    // (a power loss can leave a torn one).
    std::ifstream all(path, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(all)), std::istreambuf_iterator<char>());
    if (content.compare(0, want.size(), want) != 0)
      throw SetupError(
          fmt::format("{}: its columns differ from this run's (other metrics or version); resume "
                      "with the same zeroscope and event file, or start a new run",
                      path));
    const std::size_t keep = content.rfind('\n') + 1;
    if (keep < content.size() && truncate(path.c_str(), off_t(keep)) != 0)
      throw SetupError(
          fmt::format("{}: cannot cut its torn last line: {}", path, std::strerror(errno)));
  }
  fd_ = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw SetupError(fmt::format("{}: cannot open for writing: {}", path, std::strerror(errno)));
  if (!exists) write_all(want);
  sync();
}

SamplesWriter::~SamplesWriter() {
  if (fd_ >= 0) {
    fsync(fd_);
    close(fd_);
  }
}

void SamplesWriter::append(const std::vector<SampleRow>& rows) {
  std::string text;
  for (const SampleRow& r : rows) text += format_row(r);
  write_all(text);
  if (monotonic_ns() - last_sync_ns_ >= 1000000000ull) sync();
}

void SamplesWriter::write_all(const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
    }
    p += n;
    left -= std::size_t(n);
  }
}

void SamplesWriter::sync() {
  fsync(fd_);
  last_sync_ns_ = monotonic_ns();
}

CompletedSamples completed_samples(const SamplesFile& samples) {
  CompletedSamples c;
  for (const SampleRow& r : samples.rows) {
    c.done.insert({r.key, r.rep});
    ++c.rows;
    if (r.phase == "access" && !r.kept()) ++c.left_out[r.left_out];
  }
  return c;
}

CompletedSamples read_completed(const std::string& samples_csv) {
  return completed_samples(read_samples(samples_csv));
}

}  // namespace zs
