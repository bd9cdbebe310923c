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
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/samples_schema.h"

namespace zs {

inline constexpr int kResultsSchema = 1;

// "20261123-054312-vm-quick": the directory name for a run started now.
std::string results_dir_name(const std::string& label);

// Writes `j` to dir/name through a temporary file and rename, so a reader
// (or a crash) never sees half a file.
void write_json_atomically(const std::string& dir, const std::string& name,
                           const nlohmann::json& j);
nlohmann::json read_json(const std::string& path);

// Appends samples to samples.csv durably: each sample's rows in one
// write(), an fsync when a second has passed since the last (and at close).
class SamplesWriter {
 public:
  // Creates samples.csv with the layout's header, or, when it exists
  // (resume), checks its header is the same, cuts a torn last line, and
  // appends after it.
  SamplesWriter(const std::string& path, const SamplesLayout& layout);
  ~SamplesWriter();
  SamplesWriter(const SamplesWriter&) = delete;
  SamplesWriter& operator=(const SamplesWriter&) = delete;
  void append(const std::vector<SampleRow>& rows);  // one sample's rows, one write()
  void sync();

 private:
  void write_all(const std::string& text);
  int fd_ = -1;
  std::string path_;
  std::uint64_t last_sync_ns_ = 0;
};

// What a samples.csv already holds: (point key, rep) pairs completed.
struct CompletedSamples {
  std::set<std::pair<std::string, std::uint64_t>> done;
  std::uint64_t rows = 0;
  std::map<std::string, std::uint64_t> left_out;  // reason -> samples (one access row per sample)
};
CompletedSamples completed_samples(const SamplesFile& samples);
CompletedSamples read_completed(const std::string& samples_csv);

}  // namespace zs
