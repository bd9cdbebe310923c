// Checking an event file against libpfm4's own tables: every entry that
// carries both a libpfm4 string and a raw fallback must encode to the same
// perf_event_attr type/config/config1/config2 both ways, so that a machine
// whose libpfm4 lacks the table counts the same event through the fallback.
// The Arm files are written on x86, whose libpfm4 has no Arm tables; the
// arm64 build of libpfm4 (run under qemu-aarch64 or on the machine) has them.
// The comparison takes its encoders as functions so that it is tested with
// fakes where the tables are missing.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "counters/events.h"

namespace zs {

enum class CheckVerdict {
  agree,         // libpfm4 and the raw fallback give the same attr fields
  differ,        // both encode, to different events: a data bug
  fails,         // the table is in this libpfm4 but the string does not encode
  no_table,      // this libpfm4 is built without the entry's table (x86 for arm_*)
  not_compared,  // nothing to compare, with the reason (software event, raw only, sysfs PMU)
};
std::string_view to_string(CheckVerdict v);

struct EntryCheck {
  std::string metric;
  CheckVerdict verdict = CheckVerdict::not_compared;
  std::string detail;  // both encodings, or why there is no comparison
};

struct FileCheck {
  std::string table;  // the file's core table ("arm_n1"), "" when it names none
  std::vector<EntryCheck> entries;
  int count(CheckVerdict v) const;
  // "11 entries: 8 agree, 0 differ, 0 fail to encode, 3 not compared"
  std::string summary() const;
  // 1 on a difference or a failure; else 77 when a table is missing here
  // (nothing could be checked: a skip, as ctest's SKIP_RETURN_CODE); else 0.
  int exit_code() const;
};

// The encoders the check uses: libpfm4 alone, the raw fallback alone, and
// whether this libpfm4 was built with a table (PMU name).
struct CheckEncoder {
  std::function<EncodeResult(const std::string& pfm)> pfm;
  std::function<EncodeResult(const RawEvent& raw)> raw;
  std::function<bool(const std::string& table)> has_table;
};
// The installed libpfm4 and encode_metric's raw path.
CheckEncoder libpfm_check_encoder();

// The PMU prefix of a libpfm4 string ("arm_n1::L2D_CACHE_REFILL" -> "arm_n1").
std::string pfm_table(const std::string& pfm);
// The first table a file's entries name other than the kernel's generic
// perf:: table; "" when every entry is generic or raw.
std::string core_table(const EventFile& f);

// For a generic hardware event of the perf:: table, the Arm common event
// that the arm64 PMUv3 driver programs for it (drivers/perf/arm_pmuv3.c,
// armv8_pmuv3_perf_map): PERF_COUNT_HW_CPU_CYCLES -> CPU_CYCLES. "" for
// anything else, and for tables that are not Arm's (the x86 drivers map
// per model, and the raw fallback is then not compared).
std::string arm_generic_event(const std::string& pfm, const std::string& table);

FileCheck check_event_file(const EventFile& f, const CheckEncoder& enc);

// For an Arm core table, sets LIBPFM_FORCE_PMU=<table> unless the
// environment names one already, so that libpfm4 treats the table as this
// CPU's, as its detection does on the machine (under qemu-user it reads the
// host's /proc/cpuinfo and detects nothing). libpfm4 reads the variable once,
// in pfm_initialize(): call this before the process's first encoding.
// Returns what was done, for the output ("" for other tables).
std::string force_arm_table(const std::string& table);
// Whether libpfm4 has the table active (detected or forced), not only
// compiled in: the encodings are the same, what is checked is not.
bool pfm_table_active(const std::string& table);

}  // namespace zs
