// Inside the capability record (capability.h): Record, which keeps the
// record's one rule, and the readers that fill its sections, one file per
// group (capability_cpu.cc, capability_system.cc, capability_perf.cc).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "counters/counters.h"
#include "machine/cpu_identity.h"

namespace zs::capability {

// Sets fields by dotted path ("cpu.microcode", "hugetlb.0.free"); a value
// that could not be read is null, and "missing" says why under the same path.
class Record {
 public:
  explicit Record(nlohmann::json& root) : root_(root) {}
  void set(const std::string& path, nlohmann::json v) { root_[pointer(path)] = std::move(v); }
  void unknown(const std::string& path, std::string reason) {
    root_[pointer(path)] = nullptr;
    root_["missing"][path] = std::move(reason);
  }
  template <class T>
  void maybe(const std::string& path, const std::optional<T>& v, std::string reason) {
    if (v)
      set(path, *v);
    else
      unknown(path, std::move(reason));
  }

 private:
  static nlohmann::json::json_pointer pointer(const std::string& path) {
    std::string p = "/" + path;
    for (char& c : p)
      if (c == '.') c = '/';
    return nlohmann::json::json_pointer(p);
  }
  nlohmann::json& root_;
};

// capability_cpu.cc
void cpu_section(Record& r);
void tsc_section(Record& r);
void caches_section(Record& r);
// capability_arm64.cc: the arm64 identification and feature fields of cpu
void arm64_section(Record& r, const CpuIdentity& cpu);
// capability_system.cc
void kernel_section(Record& r);
void thp_section(Record& r);
void hugetlb_section(Record& r);
void numa_section(Record& r);
void cpufreq_section(Record& r);
// capability_kernel_path.cc: kernel.preemption, init_on_alloc/free,
// max_page_order, free_page_reporting, zeroing
void kernel_zeroing_section(Record& r);
// capability_perf.cc
void perf_section(Record& r, const PmuAccess& access);
void primitives_section(Record& r);
void metrics_section(Record& r, const PmuAccess& access);

}  // namespace zs::capability
