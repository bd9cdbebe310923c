#include "cli/error_text.h"

#include <string>

#include <fmt/format.h>

namespace zs::cli {

std::string_view flag_of(Option o) {
  switch (o) {
    case Option::none: return "";
    case Option::config: return "CONFIG";
    case Option::out_dir: return "--out";
    case Option::resume_dir: return "--resume";
    case Option::label: return "--label";
    case Option::events: return "--events";
    case Option::cpu: return "--cpu";
    case Option::node: return "--node";
    case Option::llc_size: return "--llc-size";
    case Option::reserve_hugetlb: return "--reserve-hugetlb";
    case Option::enable_mthp: return "--enable-mthp";
    case Option::baseline: return "--baseline";
    case Option::metric: return "--metric";
    case Option::by: return "--by";
    case Option::ignore: return "--ignore";
    case Option::backing: return "--backing";
    case Option::fault: return "--fault";
    case Option::warmup: return "--warmup";
    case Option::csv: return "--csv";
    case Option::folio_size: return "--folio-size";
    case Option::strategy: return "--strategy";
    case Option::primitive: return "--primitive";
    case Option::target: return "--target";
    case Option::access: return "--access";
    case Option::cache: return "--cache";
    case Option::batch: return "--batch";
    case Option::width: return "--width";
    case Option::count: break;
  }
  return "";
}

std::string error_text(const SetupError& e) {
  std::string text = e.what();
  for (int i = 1; i < int(Option::count); ++i) {
    const Option o = Option(i);
    const std::string ref = option_ref(o);
    for (std::size_t at = text.find(ref); at != std::string::npos; at = text.find(ref, at))
      text.replace(at, ref.size(), flag_of(o));
  }
  if (e.about != Option::none) text = fmt::format("{}: {}", flag_of(e.about), text);
  return text;
}

}  // namespace zs::cli
