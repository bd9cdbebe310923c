#include "results/results_dir.h"

#include <fcntl.h>
#include <sys/file.h>
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

ssize_t FileOps::write(int fd, const void* buf, std::size_t n) { return ::write(fd, buf, n); }
int FileOps::fsync(int fd) { return ::fsync(fd); }
FileOps& FileOps::system() {
  static FileOps ops;
  return ops;
}

namespace {
[[noreturn]] void write_failed(const std::string& path, const char* what, int err) {
  throw WriteError(fmt::format("{}: {} failed: {}", path, what, std::strerror(err)));
}

void write_fd(FileOps& ops, int fd, const std::string& path, const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = ops.write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) write_failed(path, "write", n < 0 ? errno : ENOSPC);
    p += n;
    left -= std::size_t(n);
  }
}

void sync_dir(FileOps& ops, const std::string& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) write_failed(dir, "open", errno);
  const int rc = ops.fsync(fd), err = errno;
  close(fd);
  if (rc != 0) write_failed(dir, "fsync", err);
}
}  // namespace

void write_file_atomically(const std::string& dir, const std::string& name, const std::string& text,
                           FileOps& ops) {
  const std::string tmp = dir + "/." + name + ".tmp", dst = dir + "/" + name;
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) write_failed(tmp, "open", errno);
  try {
    write_fd(ops, fd, tmp, text);
    if (ops.fsync(fd) != 0) write_failed(tmp, "fsync", errno);
  } catch (...) {
    close(fd);
    unlink(tmp.c_str());
    throw;
  }
  if (close(fd) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    write_failed(tmp, "close", err);
  }
  if (std::rename(tmp.c_str(), dst.c_str()) != 0) {
    const int err = errno;
    unlink(tmp.c_str());
    throw WriteError(fmt::format("cannot rename {} to {}: {}", tmp, dst, std::strerror(err)));
  }
  sync_dir(ops, dir);
}

void write_json_atomically(const std::string& dir, const std::string& name, const nlohmann::json& j,
                           FileOps& ops) {
  write_file_atomically(dir, name, j.dump(2) + "\n", ops);
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

SamplesWriter::SamplesWriter(const std::string& path, const SamplesLayout& layout, FileOps& ops)
    : ops_(ops), path_(path) {
  const std::string want = format_header(layout);
  struct stat st {};
  // An empty file is one whose header never reached the disk: written anew.
  const bool exists = stat(path.c_str(), &st) == 0 && st.st_size > 0;
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
    whole_ = off_t(content.rfind('\n') + 1);
    if (whole_ < off_t(content.size()) && truncate(path.c_str(), whole_) != 0)
      throw SetupError(
          fmt::format("{}: cannot cut its torn last line: {}", path, std::strerror(errno)));
  }
  fd_ = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw SetupError(fmt::format("{}: cannot open for writing: {}", path, std::strerror(errno)));
  if (!exists) {
    if (ftruncate(fd_, 0) != 0) write_failed(path, "truncate", errno);
    write_all(want);
  }
  sync();
}

SamplesWriter::~SamplesWriter() {
  if (fd_ >= 0) {
    ops_.fsync(fd_);
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
  write_fd(ops_, fd_, path_, text);
  whole_ += off_t(text.size());
}

void SamplesWriter::sync() {
  if (ops_.fsync(fd_) != 0) write_failed(path_, "fsync", errno);
  last_sync_ns_ = monotonic_ns();
}

std::string SamplesWriter::cut_to_whole_sample() {
  if (ftruncate(fd_, whole_) != 0)
    return fmt::format("cannot cut {} back to its last whole sample: {}", path_,
                       std::strerror(errno));
  if (ops_.fsync(fd_) != 0) return fmt::format("{}: fsync failed: {}", path_, std::strerror(errno));
  return "";
}

DirectoryLock::DirectoryLock(const std::string& dir) {
  fd_ = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw SetupError(fmt::format("{}: cannot open: {}", dir, std::strerror(errno)));
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    close(fd_);
    fd_ = -1;
    throw SetupError(err == EWOULDBLOCK
                         ? fmt::format("{} is being written by a zeroscope run that is still "
                                       "running; wait for it to end, then resume",
                                       dir)
                         : fmt::format("{}: cannot lock it: {}", dir, std::strerror(err)));
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) close(fd_);
}

SpaceReserve::SpaceReserve(const std::string& dir, std::size_t bytes) : path_(dir + "/.reserve") {
  const int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;  // a reserve is a help, not a requirement
  const std::string zeros(bytes, '\0');
  const bool ok = ::write(fd, zeros.data(), bytes) == ssize_t(bytes) && ::fsync(fd) == 0;
  close(fd);
  if (!ok) release();
}

void SpaceReserve::release() {
  if (!path_.empty()) unlink(path_.c_str());
  path_.clear();
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

SamplesRepair repair_samples(
    SamplesFile& samples, const std::string& name,
    const std::function<std::vector<std::string>(const std::string& key)>& phases_of,
    std::uint64_t repetitions) {
  SamplesRepair repair;
  repair.torn_line = samples.torn;
  std::map<std::string, std::vector<std::string>> phases;
  std::map<std::pair<std::string, std::uint64_t>, std::set<std::string>> seen;
  std::vector<bool> keep(samples.rows.size(), true);
  for (std::size_t i = 0; i < samples.rows.size(); ++i) {
    const SampleRow& r = samples.rows[i];
    auto it = phases.find(r.key);
    if (it == phases.end()) it = phases.emplace(r.key, phases_of(r.key)).first;
    if (it->second.empty() || r.rep >= repetitions)
      throw SetupError(fmt::format(
          "{}: a row of point {} repetition {}, which the config does not have; the file was "
          "edited or belongs to another config (start a new run)",
          name, r.key, r.rep));
    if (!seen[{r.key, r.rep}].insert(r.phase).second) {
      keep[i] = false;
      ++repair.duplicate_rows;
    }
  }
  std::set<std::pair<std::string, std::uint64_t>> partial;
  for (const auto& [sample, got] : seen)
    if (got != std::set<std::string>(phases[sample.first].begin(), phases[sample.first].end()))
      partial.insert(sample);
  repair.partial_samples = partial.size();
  std::vector<SampleRow> rows;
  rows.reserve(samples.rows.size());
  for (std::size_t i = 0; i < samples.rows.size(); ++i)
    if (keep[i] && !partial.count({samples.rows[i].key, samples.rows[i].rep}))
      rows.push_back(std::move(samples.rows[i]));
  samples.rows = std::move(rows);
  samples.torn = false;
  return repair;
}

}  // namespace zs
