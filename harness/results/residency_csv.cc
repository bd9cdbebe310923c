#include "results/residency_csv.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "common/clock.h"
#include "common/errors.h"
#include "common/parse.h"
#include "results/csv.h"

namespace zs {

std::string format_residency_rows(const std::string& key, std::uint64_t rep,
                                  std::span<const float> ns, const ResidencyThresholds& t) {
  std::string out;
  const std::string k = csv::quote(key);
  for (std::size_t p = 0; p < ns.size(); ++p)
    out += fmt::format("{},{},{},{:.2f},{}\n", k, rep, p, ns[p], to_string(classify(ns[p], t)));
  return out;
}

namespace {
// A finite decimal, the whole cell.
std::optional<double> parse_double(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

[[noreturn]] void failed(const std::string& path, const char* what, int err) {
  throw WriteError(fmt::format("{}: {} failed: {}", path, what, std::strerror(err)));
}
}  // namespace

ResidencyWriter::ResidencyWriter(const std::string& path, FileOps& ops) : ops_(ops), path_(path) {
  fd_ = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) failed(path, "open", errno);
  if (lseek(fd_, 0, SEEK_END) == 0) append(std::string(kResidencyHeader));
}

ResidencyWriter::~ResidencyWriter() {
  if (fd_ < 0) return;
  ops_.fsync(fd_);
  close(fd_);
}

void ResidencyWriter::append(const std::string& rows) {
  std::size_t done = 0;
  while (done < rows.size()) {
    const ssize_t n = ops_.write(fd_, rows.data() + done, rows.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failed(path_, "write", n < 0 ? errno : ENOSPC);
    done += std::size_t(n);
  }
  if (monotonic_ns() - last_sync_ns_ > 1'000'000'000ull) sync();
}

void ResidencyWriter::sync() {
  if (ops_.fsync(fd_) != 0) failed(path_, "fsync", errno);
  last_sync_ns_ = monotonic_ns();
}

ResidencyFile parse_residency(std::string_view text, const std::string& name, bool lenient) {
  ResidencyFile f;
  const csv::Parsed parsed = csv::parse(text);
  f.torn = parsed.torn;
  auto bad = [&](int line, const std::string& problem) {
    if (!lenient) throw SetupError(fmt::format("{}:{}: {}", name, line, problem));
    ++f.bad;
  };
  if (parsed.records.empty()) {
    if (!text.empty() && !parsed.torn) bad(1, "no header");
    return f;
  }
  const std::string want(kResidencyHeader.substr(0, kResidencyHeader.size() - 1));
  const csv::Record& head = parsed.records.front();
  if (fmt::format("{}", fmt::join(head.cells, ",")) != want) {
    // A foreign file, not a damaged row: refused even when lenient.
    throw SetupError(fmt::format("{}:1: the header is not '{}'", name, want));
  }
  for (std::size_t i = 1; i < parsed.records.size(); ++i) {
    const csv::Record& r = parsed.records[i];
    if (r.malformed || r.cells.size() != 5) {
      bad(r.line, fmt::format("{} cells, expected 5 (key,rep,page,ns,level)", r.cells.size()));
      continue;
    }
    ResidencyRow row;
    row.key = r.cells[0];
    auto rep = parse_u64(r.cells[1]);
    auto page = parse_u64(r.cells[2]);
    auto ns = parse_double(r.cells[3]);
    auto level = parse_residency_level(r.cells[4]);
    if (row.key.empty() || !rep || !page || *page > UINT32_MAX || !ns || !level) {
      bad(r.line, fmt::format("'{}' does not read as key,rep,page,ns,level (level one of L1, L2, "
                              "LLC, memory)",
                              fmt::join(r.cells, ",")));
      continue;
    }
    row.rep = *rep;
    row.page = static_cast<std::uint32_t>(*page);
    row.ns = *ns;
    row.level = *level;
    f.rows.push_back(std::move(row));
  }
  return f;
}

ResidencyFile read_residency(const std::string& path, bool lenient) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SetupError(fmt::format("{}: cannot read", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_residency(ss.str(), path, lenient);
}

std::uint64_t repair_residency(const std::string& dir,
                               const std::set<std::pair<std::string, std::uint64_t>>& done) {
  const std::string path = dir + "/residency.csv";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) return 0;
  ResidencyFile f = read_residency(path, false);
  std::set<std::tuple<std::string, std::uint64_t, std::uint32_t>> seen;
  std::string text(kResidencyHeader);
  std::uint64_t removed = f.torn ? 1 : 0;
  for (const ResidencyRow& r : f.rows) {
    if (!done.count({r.key, r.rep}) || !seen.insert({r.key, r.rep, r.page}).second) {
      ++removed;
      continue;
    }
    text += fmt::format("{},{},{},{:.2f},{}\n", csv::quote(r.key), r.rep, r.page, r.ns,
                        to_string(r.level));
  }
  if (removed > 0) write_file_atomically(dir, "residency.csv", text);
  return removed;
}

}  // namespace zs
