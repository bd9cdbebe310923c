// A results directory, results/<yyyymmdd-hhmmss>-<host>[-<label>]/:
//   meta.json     what produced the samples: schema, version and commit, the
//                 capability record, the config as given and expanded,
//                 start/end, samples kept and left out with reasons
//   config.toml   the config file as given (what a resume reloads)
//   samples.csv   one row per sample and phase (results/samples_schema.h),
//                 appended as samples finish (one write per sample, fsync
//                 at least once a second)
//   summary.csv   per point and phase, per measured column (results/summary.h),
//                 written at the end
// Every write, fsync and rename is checked; a failure throws WriteError.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/samples_schema.h"

namespace zs {

inline constexpr int kResultsSchema = 1;

// "20261123-054312-vm-quick": the directory name for a run started now.
std::string results_dir_name(const std::string& label);

// A write, fsync or rename of results that failed (ENOSPC, EIO, ...): the
// run stops, keeps what is whole, and says so (status "failed").
struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The system calls results are written with, so a test can make them fail.
struct FileOps {
  virtual ~FileOps() = default;
  virtual ssize_t write(int fd, const void* buf, std::size_t n);
  virtual int fsync(int fd);
  static FileOps& system();
};

// Writes `text` to dir/name through a temporary file, fsync, rename and an
// fsync of the directory, so a reader (or a crash) sees the old file or
// the new one, never half of one. Throws WriteError.
void write_file_atomically(const std::string& dir, const std::string& name, const std::string& text,
                           FileOps& ops = FileOps::system());
void write_json_atomically(const std::string& dir, const std::string& name, const nlohmann::json& j,
                           FileOps& ops = FileOps::system());
nlohmann::json read_json(const std::string& path);

// Appends samples to samples.csv durably: each sample's rows in one
// write(), an fsync when a second has passed since the last (and at close).
class SamplesWriter {
 public:
  // Creates samples.csv with the layout's header, or, when it exists
  // (resume), checks its header is the same, cuts a torn last line, and
  // appends after it.
  SamplesWriter(const std::string& path, const SamplesLayout& layout,
                FileOps& ops = FileOps::system());
  ~SamplesWriter();
  SamplesWriter(const SamplesWriter&) = delete;
  SamplesWriter& operator=(const SamplesWriter&) = delete;
  void append(const std::vector<SampleRow>& rows);  // one sample's rows, one write()
  void sync();
  // After a WriteError: cuts the file back to its last whole sample and
  // syncs it. Returns "" or why that failed too.
  std::string cut_to_whole_sample();

 private:
  void write_all(const std::string& text);
  FileOps& ops_;
  int fd_ = -1;
  std::string path_;
  off_t whole_ = 0;  // the file's size after the last whole sample
  std::uint64_t last_sync_ns_ = 0;
};

// A results directory held by the run writing it (flock on the directory,
// released by the kernel when the run ends, however it ends): a second run
// resuming it while the first is alive is refused instead of interleaving.
class DirectoryLock {
 public:
  explicit DirectoryLock(const std::string& dir);  // throws SetupError when held
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

// Space set aside in a results directory at the start of a run, given back
// when a write fails so that the failed status can still be recorded.
class SpaceReserve {
 public:
  SpaceReserve(const std::string& dir, std::size_t bytes);
  ~SpaceReserve() { release(); }
  SpaceReserve(const SpaceReserve&) = delete;
  SpaceReserve& operator=(const SpaceReserve&) = delete;
  void release();

 private:
  std::string path_;
};

// What a samples.csv already holds: (point key, rep) pairs completed.
struct CompletedSamples {
  std::set<std::pair<std::string, std::uint64_t>> done;
  std::uint64_t rows = 0;
  std::map<std::string, std::uint64_t> left_out;  // reason -> samples (one access row per sample)
};
CompletedSamples completed_samples(const SamplesFile& samples);
CompletedSamples read_completed(const std::string& samples_csv);

// What a resume removed from samples.csv before measuring again.
struct SamplesRepair {
  std::uint64_t duplicate_rows = 0;   // a (key, rep, phase) seen before; the first kept
  std::uint64_t partial_samples = 0;  // a sample without all its phases: cut, redone
  bool torn_line = false;             // a last line without its line end
  bool any() const { return duplicate_rows || partial_samples || torn_line; }
};
// Keeps in `samples` only whole samples, each (key, rep, phase) once; the
// phases a key's sample has come from `phases_of` (empty: the key is not
// in the config, refused with the line). Returns what went.
SamplesRepair repair_samples(
    SamplesFile& samples, const std::string& name,
    const std::function<std::vector<std::string>(const std::string& key)>& phases_of,
    std::uint64_t repetitions);

}  // namespace zs
