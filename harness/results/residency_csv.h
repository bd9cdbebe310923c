// residency.csv in a results directory: where the folio's lines were right
// after zeroing, one row per page and kept sample of an access = "residency"
// point (measure/residency.h):
//   key,rep,page,ns,level
// `ns` the page's load latency (median of its probed lines, timing overhead
// subtracted), `level` L1, L2, LLC or memory by the run's thresholds
// (meta.json `residency`). Appended as samples finish, each sample's rows
// in one write and before its samples.csv rows; a resume keeps only rows of
// samples samples.csv holds, each (key, rep, page) once.
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "measure/residency.h"
#include "results/results_dir.h"

namespace zs {

inline constexpr std::string_view kResidencyHeader = "key,rep,page,ns,level\n";

struct ResidencyRow {
  std::string key;
  std::uint64_t rep = 0;
  std::uint32_t page = 0;
  double ns = 0;
  ResidencyLevel level = ResidencyLevel::memory;
};

// One sample's rows (pages in order), classified by `t`.
std::string format_residency_rows(const std::string& key, std::uint64_t rep,
                                  std::span<const float> ns, const ResidencyThresholds& t);

// Appends to residency.csv durably (header when new or empty; an fsync when
// a second has passed since the last, and at close). Throws WriteError.
class ResidencyWriter {
 public:
  explicit ResidencyWriter(const std::string& path, FileOps& ops = FileOps::system());
  ~ResidencyWriter();
  ResidencyWriter(const ResidencyWriter&) = delete;
  ResidencyWriter& operator=(const ResidencyWriter&) = delete;
  void append(const std::string& rows);
  void sync();

 private:
  FileOps& ops_;
  int fd_ = -1;
  std::string path_;
  std::uint64_t last_sync_ns_ = 0;
};

struct ResidencyFile {
  std::vector<ResidencyRow> rows;
  bool torn = false;      // a last line without its line end, left out
  std::uint64_t bad = 0;  // lenient: malformed rows left out
};
// Parses `text` (named `name` in messages). Damage (a wrong header, a row
// without five cells, a number or level that does not read) throws
// SetupError "name:line: problem", or with `lenient` is left out and
// counted; a torn last line is always left out and flagged.
ResidencyFile parse_residency(std::string_view text, const std::string& name, bool lenient);
ResidencyFile read_residency(const std::string& path, bool lenient = false);

// On a resume: residency.csv keeps only rows of `done` samples, each
// (key, rep, page) once (the first), rewritten atomically when anything
// went; malformed rows refused as for samples.csv. Returns rows removed.
std::uint64_t repair_residency(const std::string& dir,
                               const std::set<std::pair<std::string, std::uint64_t>>& done);

}  // namespace zs
