// The first tier of errors: something wrong before measuring starts (a bad
// config or flag, a pool too small, a missing permission). The message is
// one line naming the cause and the fix; the CLI prints it and exits 2.
//
// The library never spells a CLI flag. An error about a value the user set
// carries that option as `about`; a fix that means setting another option
// names it with option_ref(), which reads "`reserve_hugetlb`" in the raw
// message. The CLI renders both as its flags (cli/error_text.h), so a
// message reads "--cpu: CPU 9 ...; rerun with --reserve-hugetlb as root".
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace zs {

// Everything a user can set that a library message may have to name.
// Append new ones before `count`; option_name() and the CLI's flag table
// cover every value (tested).
enum class Option {
  none,
  config,           // the sweep file
  out_dir,          // where a new results directory goes
  resume_dir,       // a results directory to complete
  label,            //
  events,           // an event file overriding the CPU's
  cpu,              //
  node,             //
  llc_size,         //
  reserve_hugetlb,  // raise nr_hugepages for the run
  enable_mthp,      // enable the mTHP sizes for the run
  baseline,         // report's baseline strategy
  metric,           // report's counter column
  by,               // compare: what is meant to differ
  ignore,           // compare: axes ignored when matching
  backing,          // mmap-bench
  fault,            // mmap-bench
  warmup,           //
  csv,              // measure's samples file
  folio_size,       // the axes of a sweep, as measure's flags
  strategy,         //
  primitive,        //
  target,           //
  access,           //
  cache,            //
  batch,            //
  width,            //
  lenient,          // report, compare: leave damaged rows of samples.csv out
  restart,          // a resume whose samples.csv is missing, measured again
  wait,             // wait for a live run that owns a setting instead of refusing
  replicates,       // run: independent runs of one config into DIR/rep-1..N
  memory,           // the memory axis, as measure's flag
  shmem_thp,        // enable shmem THP for the run (the alias strategies' memfd pools)
  count
};

// The neutral name: "reserve_hugetlb" (also the config key where one exists).
std::string_view option_name(Option o);
// A reference to an option inside a message: "`reserve_hugetlb`".
std::string option_ref(Option o);

struct SetupError : std::runtime_error {
  explicit SetupError(const std::string& what) : std::runtime_error(what) {}
  SetupError(Option about, const std::string& what) : std::runtime_error(what), about(about) {}
  Option about = Option::none;  // the option whose value is wrong, if any
};

}  // namespace zs
