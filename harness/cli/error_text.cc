#include "cli/error_text.h"

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace zs::cli {

std::string_view flag_of(Option o) {
  switch (o) {
    case Option::none:
      return "";
    case Option::config:
      return "CONFIG";
    case Option::out_dir:
      return "--out";
    case Option::resume_dir:
      return "--resume";
    case Option::label:
      return "--label";
    case Option::events:
      return "--events";
    case Option::cpu:
      return "--cpu";
    case Option::node:
      return "--node";
    case Option::llc_size:
      return "--llc-size";
    case Option::reserve_hugetlb:
      return "--reserve-hugetlb";
    case Option::enable_mthp:
      return "--enable-mthp";
    case Option::baseline:
      return "--baseline";
    case Option::metric:
      return "--metric";
    case Option::by:
      return "--by";
    case Option::ignore:
      return "--ignore";
    case Option::backing:
      return "--backing";
    case Option::fault:
      return "--fault";
    case Option::warmup:
      return "--warmup";
    case Option::csv:
      return "--csv";
    case Option::folio_size:
      return "--folio-size";
    case Option::strategy:
      return "--strategy";
    case Option::primitive:
      return "--primitive";
    case Option::target:
      return "--target";
    case Option::access:
      return "--access";
    case Option::cache:
      return "--cache";
    case Option::batch:
      return "--batch";
    case Option::width:
      return "--width";
    case Option::lenient:
      return "--lenient";
    case Option::restart:
      return "--restart";
    case Option::wait:
      return "--wait";
    case Option::replicates:
      return "--replicates";
    case Option::memory:
      return "--memory";
    case Option::shmem_thp:
      return "--enable-shmem-thp";
    case Option::count:
      break;
  }
  return "";
}

std::string error_text(const SetupError& e) {
  // Every `name` that is an option's reference becomes its flag; other
  // back-quoted text stays as written.
  const std::string_view what = e.what();
  std::string text;
  std::size_t at = 0;
  while (at < what.size()) {
    const std::size_t open = what.find('`', at);
    const std::size_t close = open == std::string_view::npos ? open : what.find('`', open + 1);
    if (close == std::string_view::npos) break;
    const std::string_view name = what.substr(open + 1, close - open - 1);
    std::string_view flag;
    for (int i = 1; i < int(Option::count) && flag.empty(); ++i)
      if (option_name(Option(i)) == name) flag = flag_of(Option(i));
    text.append(what.substr(at, open - at));
    if (flag.empty()) {
      text.append(what.substr(open, close + 1 - open));
    } else {
      text.append(flag);
    }
    at = close + 1;
  }
  text.append(what.substr(std::min(at, what.size())));
  if (e.about != Option::none) return fmt::format("{}: {}", flag_of(e.about), text);
  return text;
}

}  // namespace zs::cli
