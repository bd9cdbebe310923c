// Whether this program runs on an emulated CPU, with the evidence: under
// user-mode emulation (qemu-user runs an arm64 program on an x86_64 kernel)
// every time, cycle count and cache effect describes the emulator's
// translated code, not the CPU the record names, and a report must say so.
//
// Signals, each checked against what this build is:
//  - /proc/cpuinfo written by another architecture's kernel: a user-mode
//    emulator shares the host's kernel, and qemu 7.2 passes its cpuinfo
//    through (x86's "vendor_id" and "flags" lines read by an arm64 build;
//    an arm64 kernel always prints "CPU implementer").
//  - MIDR_EL1 (read through the kernel's, or the emulator's, MRS emulation)
//    or cpuinfo's "CPU implementer" with implementer 0x00: Arm reserves it
//    for software use, and qemu's "max" CPU carries it; no silicon does.
//  - madvise(MADV_HUGEPAGE) that returns 0 while /proc/self/smaps shows no
//    "hg" in the mapping's VmFlags: Linux sets VM_HUGEPAGE (and splits the
//    mapping around the range); qemu-user 7.2 passes only MADV_DONTNEED on
//    and answers the other advice 0, so with THP 'madvise' no pool folio
//    is ever huge there.
// Not signals, only noted: `uname -m` (qemu-user reports the guest's
// machine, so it always agrees with the build) and the host's
// binfmt_misc qemu-* entries (they say qemu is installed, not that this
// process runs under it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zs {

struct EmulationInputs {
  std::string build_arch;                      // "x86_64" | "arm64" | ...
  std::optional<std::string> cpuinfo;          // /proc/cpuinfo; nullopt unreadable
  std::optional<std::uint64_t> midr_register;  // arm64: MIDR_EL1 through MRS
  std::string uname_machine;                   // uname -m
  std::vector<std::string> binfmt_qemu;        // enabled binfmt_misc entries qemu-*
  // Whether smaps showed "hg" on a mapping after madvise(MADV_HUGEPAGE)
  // returned 0; nullopt when the probe could not tell (no THP, no smaps).
  std::optional<bool> madvise_hugepage_seen;
  // mmap(MAP_HUGETLB | MAP_NORESERVE) of one default-size huge page, which
  // Linux grants without a free pool page: "" when it mapped, else the
  // error (qemu-user 7.2: EINVAL, it places guest mappings itself). Not a
  // signal (a kernel without hugetlbfs fails too); under emulation, the
  // reason hugetlb points are refused.
  std::string hugetlb_mmap_error;
};

// A signal that fired: a short name for one-line warnings ("/proc/cpuinfo
// of an x86_64 kernel") and the reasoning for the record.
struct EmulationSignal {
  std::string signal, why;
};

struct Emulation {
  // "none" (no signal fired), "qemu-user" (another architecture's kernel
  // and qemu's CPU model), "user-mode" (another architecture's kernel, the
  // emulator unnamed), "software-cpu" (this architecture's kernel on a
  // software CPU model: full-system emulation such as qemu-system's TCG).
  std::string kind = "none";
  std::vector<EmulationSignal> evidence;  // the signals that fired
  std::vector<std::string> checked;       // every signal looked at, fired or not, and the notes
  bool madvise_ignored = false;    // the MADV_DONTNEED probe: madvise() never reaches the kernel
  std::string hugetlb_mmap_error;  // EmulationInputs' ("" mapped)
  bool emulated() const { return kind != "none"; }
};

// The architecture whose kernel wrote `cpuinfo`: "x86_64" (vendor_id,
// cpu family and flags lines), "arm64" ("CPU implementer"), "" otherwise.
std::string cpuinfo_arch(const std::string& cpuinfo);

// Pure: the verdict on the given inputs (tests feed recorded files).
Emulation detect_emulation(const EmulationInputs& in);

// This process: the platform's architecture, /proc/cpuinfo, MIDR_EL1,
// uname and /proc/sys/fs/binfmt_misc.
EmulationInputs this_emulation_inputs();
Emulation this_emulation();

// The capability record's fields: {"emulation": kind, "emulation_evidence":
// [{"signal", "why"}...], "emulation_checked": ["..."],
// "emulation_madvise_ignored": bool, "emulation_hugetlb_mmap": "ok" | the error}.
nlohmann::json emulation_json(const Emulation& e);

// What a record taken where madvise() is ignored cannot measure: THP of
// `folio_bytes` whose mode (`effective`: the size's enabled word, inherit
// resolved) is "madvise" never gets a huge folio. One line naming the
// setting and the fix, or nullopt.
// Hugetlb under emulation whose hugetlb mmap failed: one line, or nullopt.
std::optional<std::string> emulated_hugetlb_problem(const nlohmann::json& capability,
                                                    std::uint64_t folio_bytes);

std::optional<std::string> emulated_thp_problem(const nlohmann::json& capability,
                                                std::uint64_t folio_bytes,
                                                const std::string& effective,
                                                const std::string& enabled_path);

}  // namespace zs
