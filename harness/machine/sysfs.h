// Small files under /sys and /proc: read, parse, write, with errors as text
// that names the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace zs::sysfs {

// The file's content without the trailing newline; nullopt when unreadable.
std::optional<std::string> read(const std::string& path);
std::optional<std::uint64_t> read_u64(const std::string& path);
// A whole signed decimal ("-1", "2"); nullopt when unreadable or not one.
std::optional<std::int64_t> read_i64(const std::string& path);
// Writes value (a newline is not needed); nullopt on success, else
// "<path>: <strerror>".
std::optional<std::string> write(const std::string& path, const std::string& value);
// The selected word of a kernel choice list: "always [madvise] never" ->
// "madvise"; the whole string when nothing is marked (procfs::selected_choice).
std::string selected(const std::string& choices);
// The size a "hugepages-<N>kB" directory stands for (hugetlb pools and mTHP
// sizes share the naming): "hugepages-2048kB" -> 2097152; 0 for anything else.
std::uint64_t hugepages_dir_bytes(const std::string& name);

}  // namespace zs::sysfs
