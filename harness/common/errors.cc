#include "common/errors.h"

namespace zs {

std::string_view option_name(Option o) {
  switch (o) {
    case Option::none:
      return "";
    case Option::config:
      return "config";
    case Option::out_dir:
      return "out_dir";
    case Option::resume_dir:
      return "resume_dir";
    case Option::label:
      return "label";
    case Option::events:
      return "events";
    case Option::cpu:
      return "cpu";
    case Option::node:
      return "node";
    case Option::llc_size:
      return "llc_size";
    case Option::reserve_hugetlb:
      return "reserve_hugetlb";
    case Option::enable_mthp:
      return "enable_mthp";
    case Option::baseline:
      return "baseline";
    case Option::metric:
      return "metric";
    case Option::by:
      return "by";
    case Option::ignore:
      return "ignore";
    case Option::backing:
      return "backing";
    case Option::fault:
      return "fault";
    case Option::warmup:
      return "warmup";
    case Option::csv:
      return "csv";
    case Option::folio_size:
      return "folio_size";
    case Option::strategy:
      return "strategy";
    case Option::primitive:
      return "primitive";
    case Option::target:
      return "target";
    case Option::access:
      return "access";
    case Option::cache:
      return "cache";
    case Option::batch:
      return "batch";
    case Option::width:
      return "width";
    case Option::lenient:
      return "lenient";
    case Option::restart:
      return "restart";
    case Option::wait:
      return "wait";
    case Option::replicates:
      return "replicates";
    case Option::memory:
      return "memory";
    case Option::shmem_thp:
      return "enable_shmem_thp";
    case Option::count:
      break;
  }
  return "";
}

std::string option_ref(Option o) {
  std::string ref(1, '`');
  ref.append(option_name(o)).push_back('`');
  return ref;
}

}  // namespace zs
