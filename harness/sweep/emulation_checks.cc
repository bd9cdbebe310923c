#include "sweep/emulation_checks.h"

#include "common/errors.h"
#include "machine/emulation.h"
#include "memory/thp_settings.h"

namespace zs {
namespace {
// What a size that inherits follows.
constexpr const char* kTopEnabled = "/sys/kernel/mm/transparent_hugepage/enabled";
}  // namespace

void refuse_what_emulation_breaks(const nlohmann::json& capability,
                                  const std::vector<Point>& points) {
  for (const Point& p : points)
    if (p.backing == Backing::hugetlb)
      if (auto why = emulated_hugetlb_problem(capability, p.folio_bytes)) throw SetupError(*why);
  if (!capability.value("emulation_madvise_ignored", false)) return;
  const std::vector<ThpSize> sizes = thp_sizes();
  for (const Point& p : points) {
    if (p.backing != Backing::thp && p.backing != Backing::mthp) continue;
    for (const ThpSize& s : sizes)
      if (s.bytes == p.folio_bytes)
        if (auto why = emulated_thp_problem(capability, s.bytes, s.effective,
                                            s.enabled == "inherit" ? kTopEnabled : s.enabled_path))
          throw SetupError(*why);
  }
}

}  // namespace zs
