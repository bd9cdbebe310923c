#include "results/results_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/errors.h"
#include "stats/quantiles.h"

namespace zs {

const std::vector<std::string> kLeadingColumns = {
    "key", "backing", "folio_size", "strategy", "primitive", "target", "access", "op", "cache",
    "evict", "batch", "width", "rep", "phase", "ns", "tsc"};
const std::vector<std::string> kTrailingColumns = {"batch_max_ns", "batches", "huge", "multiplexed", "pass", "left_out"};

std::string results_dir_name(const std::string& label) {
  char stamp[32];
  time_t now = time(nullptr);
  tm t{};
  localtime_r(&now, &t);
  strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &t);
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  std::string name = fmt::format("{}-{}", stamp, host);
  if (!label.empty()) name += "-" + label;
  for (char& c : name)
    if (c == '/' || c == ' ') c = '_';
  return name;
}

void write_json_atomically(const std::string& dir, const std::string& name, const nlohmann::json& j) {
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
    throw std::runtime_error(fmt::format("cannot rename {} to {}: {}", tmp, dst, std::strerror(errno)));
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

namespace {
std::uint64_t mono_ns() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return std::uint64_t(t.tv_sec) * 1000000000ull + std::uint64_t(t.tv_nsec);
}

std::string join_csv(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
  return s;
}

}  // namespace

SamplesWriter::SamplesWriter(const std::string& path, const std::vector<std::string>& header) : path_(path) {
  const std::string want = join_csv(header);
  struct stat st{};
  const bool exists = stat(path.c_str(), &st) == 0;
  if (exists) {
    // Resume: the same columns, and nothing after the last complete line
    // (a power loss can leave a torn one).
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    if (first != want)
      throw SetupError(fmt::format("{}: its columns differ from this run's (other metrics or version); resume "
                                   "with the same zeroscope and event file, or start a new run",
                                   path));
    in.close();
    std::ifstream all(path, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(all)), std::istreambuf_iterator<char>());
    const std::size_t keep = content.rfind('\n') == std::string::npos ? 0 : content.rfind('\n') + 1;
    if (keep < content.size() && truncate(path.c_str(), off_t(keep)) != 0)
      throw SetupError(fmt::format("{}: cannot cut its torn last line: {}", path, std::strerror(errno)));
  }
  fd_ = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw SetupError(fmt::format("{}: cannot open for writing: {}", path, std::strerror(errno)));
  if (!exists) append(want + "\n");
  sync();
}

SamplesWriter::~SamplesWriter() {
  if (fd_ >= 0) {
    fsync(fd_);
    close(fd_);
  }
}

void SamplesWriter::append(const std::string& rows) {
  const char* p = rows.data();
  std::size_t left = rows.size();
  while (left > 0) {
    ssize_t n = write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
    }
    p += n;
    left -= std::size_t(n);
  }
  if (mono_ns() - last_sync_ns_ >= 1000000000ull) sync();
}

void SamplesWriter::sync() {
  fsync(fd_);
  last_sync_ns_ = mono_ns();
}

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  for (char c : line) {
    if (c == ',') {
      out.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  out.push_back(cell);
  return out;
}
CompletedSamples read_completed(const std::string& samples_csv) {
  CompletedSamples c;
  std::ifstream in(samples_csv);
  std::string line;
  if (!std::getline(in, line)) return c;
  auto header = split_csv(line);
  std::size_t key = 0, rep = 0, phase = 0, left = header.size();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "key") key = i;
    if (header[i] == "rep") rep = i;
    if (header[i] == "phase") phase = i;
    if (header[i] == "left_out") left = i;
  }
  while (std::getline(in, line)) {
    // A torn last line has fewer cells: not a completed sample.
    auto cells = split_csv(line);
    if (cells.size() != header.size()) continue;
    c.done.insert({cells[key], std::stoull(cells[rep])});
    ++c.rows;
    if (left < cells.size() && cells[phase] == "access" && !cells[left].empty()) ++c.left_out[cells[left]];
  }
  return c;
}

void write_summary(const std::string& samples_csv, const std::string& summary_csv) {
  std::ifstream in(samples_csv);
  std::string line;
  if (!std::getline(in, line)) return;
  const auto header = split_csv(line);
  std::size_t phase_col = 0, left_col = header.size(), key_col = 0;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "phase") phase_col = i;
    if (header[i] == "left_out") left_col = i;
    if (header[i] == "key") key_col = i;
  }
  // Numeric columns: after `phase`, except the flags.
  std::vector<std::size_t> numeric;
  for (std::size_t i = phase_col + 1; i < header.size(); ++i)
    if (header[i] != "huge" && header[i] != "multiplexed" && header[i] != "pass" && header[i] != "left_out" &&
        header[i] != "batches")
      numeric.push_back(i);
  // (key, phase) -> column -> values, in first-seen order of (key, phase).
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::pair<std::string, std::string>, std::vector<std::vector<double>>> values;
  while (std::getline(in, line)) {
    auto cells = split_csv(line);
    if (cells.size() != header.size()) continue;
    if (left_col < cells.size() && !cells[left_col].empty()) continue;  // left out, with its reason
    auto id = std::make_pair(cells[key_col], cells[phase_col]);
    auto [it, fresh] = values.try_emplace(id, numeric.size());
    if (fresh) order.push_back(id);
    for (std::size_t k = 0; k < numeric.size(); ++k)
      if (!cells[numeric[k]].empty()) it->second[k].push_back(std::stod(cells[numeric[k]]));
  }
  const std::string tmp = summary_csv + ".tmp";
  std::ofstream out(tmp);
  out << "key,phase,column,n,mean,median,stddev,min,p5,p95\n";
  for (const auto& id : order) {
    const auto& cols = values[id];
    for (std::size_t k = 0; k < numeric.size(); ++k) {
      const auto& v = cols[k];
      if (v.empty()) continue;  // never measured for this point: no row, not zeros
      double mean = 0;
      for (double x : v) mean += x;
      mean /= double(v.size());
      double ss = 0;
      for (double x : v) ss += (x - mean) * (x - mean);
      const std::string sd = v.size() > 1 ? fmt::format("{:.6g}", std::sqrt(ss / double(v.size() - 1))) : "";
      out << fmt::format("{},{},{},{},{:.6g},{:.6g},{},{:.6g},{:.6g},{:.6g}\n", id.first, id.second,
                         header[numeric[k]], v.size(), mean, quantile(v, 0.5), sd,
                         *std::min_element(v.begin(), v.end()), quantile(v, 0.05), quantile(v, 0.95));
    }
  }
  out.close();
  std::rename(tmp.c_str(), summary_csv.c_str());
}

}  // namespace zs
