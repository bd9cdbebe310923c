#include "memory/own_pages.h"

#include <unistd.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "common/clock.h"
#include "machine/sysfs.h"
#include "memory/smaps.h"

namespace zs {

namespace {

bool skipped_name(std::string_view name) {
  if (name.empty()) return true;  // anonymous: the pools
  if (name.find("memfd:") != std::string_view::npos) return true;
  if (name.rfind("[anon", 0) == 0) return true;
  return name == "[vvar]" || name == "[vvar_vclock]" || name == "[vsyscall]";
}

}  // namespace

std::vector<AddressRange> own_ranges(std::string_view maps) {
  std::vector<AddressRange> out;
  std::istringstream in{std::string(maps)};
  for (std::string line; std::getline(in, line);) {
    // lo-hi perms offset dev inode [name]
    std::istringstream f(line);
    std::string range, perms, offset, dev, inode, name;
    if (!(f >> range >> perms >> offset >> dev >> inode)) continue;
    std::getline(f >> std::ws, name);
    const auto span = vma_header(line);
    if (!span || perms.empty() || perms[0] != 'r' || skipped_name(name)) continue;
    if (span->second > span->first) out.push_back({span->first, span->second});
  }
  return out;
}

SettleResult touch_pages(const std::vector<AddressRange>& ranges, std::uint64_t page_bytes) {
  SettleResult r;
  if (page_bytes == 0) return r;
  const std::uint64_t t0 = monotonic_ns();
  for (const AddressRange& a : ranges)
    for (std::uintptr_t p = a.lo; p < a.hi; p += page_bytes) {
      const std::uint64_t b = monotonic_ns();
      (void)*reinterpret_cast<const volatile unsigned char*>(p);
      if (monotonic_ns() - b >= kSlowTouchNs) ++r.slow_pages;
      ++r.pages;
    }
  r.ns = monotonic_ns() - t0;
  for (const AddressRange& a : ranges)
    for (std::uintptr_t p = a.lo; p < a.hi; p += page_bytes)
      (void)*reinterpret_cast<const volatile unsigned char*>(p);
  return r;
}

SettleResult settle_own_pages() {
  const auto maps = sysfs::read("/proc/self/maps");
  if (!maps) return {};
  return touch_pages(own_ranges(*maps), std::uint64_t(sysconf(_SC_PAGESIZE)));
}

}  // namespace zs
