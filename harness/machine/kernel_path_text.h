// The kernel's path (capability record `kernel.zeroing`, kernel_path.h) as
// lines for people: `zeroscope info`, the run header and the report header.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace zs {

class RecordText;

// "THP 2 MiB", "mTHP 64 KiB", "hugetlb 1 GiB".
std::string folio_label(const std::string& backing, std::uint64_t folio_size);

// One entry of `kernel.zeroing` as "left-right (folio_zero_user -> ...)",
// or "not covered: <reason>".
std::string zeroing_text(const nlohmann::json& entry);

// "Kernel zeroing" and the facts it rests on, for `zeroscope info`.
void kernel_zeroing_text(RecordText& t);

// For a run's folios ((backing, bytes) pairs): "kernel path: THP 2 MiB
// left-right (...)", one line each, from a record's `kernel.zeroing` (null
// when the record has none: one line saying it was not recorded).
std::vector<std::string> kernel_path_lines(
    const nlohmann::json* zeroing,
    const std::vector<std::pair<std::string, std::uint64_t>>& folios);

}  // namespace zs
