#include "measure/control_point.h"

#include <fmt/format.h>

#include "common/errors.h"
#include "common/units.h"
#include "measure/executor.h"
#include "strategies/strategy.h"

namespace zs {

namespace {
constexpr std::size_t kPage = 4096;
}  // namespace

ControlPoint::ControlPoint()
    : map_(Mapping::anonymous(kBytes, kBytes)), prim_(PrimitiveRegistry::get().find(kKernelAlias)) {
  map_.advise_huge();
  map_.populate();
  huge_ = map_.anon_huge_bytes() >= static_cast<long long>(kBytes);
  StrategyParams p;
  p.nr_pages = kBytes / kPage;
  p.page_size = kPage;
  plan_ = plan_extent(p);  // one clear call over the whole buffer
  if (prim_ == nullptr)
    throw SetupError("internal: the kernel primitive alias does not resolve on this CPU");
  if (auto why = check_executable(plan_, *prim_, map_.data(), kBytes, kPage))
    throw SetupError(fmt::format("the drift control cannot run: {}", *why));
}

void ControlPoint::execute_once() { execute(plan_, prim_->fn(), map_.data(), kPage); }

nlohmann::json ControlPoint::describe() const {
  const std::string what = fmt::format(
      "one {} extent zero with primitive kernel ({}) of a pre-faulted, {}-aligned buffer{}: the "
      "fastest of {} timed zeros, after an untimed one that warms the buffer",
      exact_size(kBytes), prim_->name(), exact_size(kBytes),
      huge_ ? " backed by a THP" : " (not THP-backed)", kTimed);
  return {{"what", what}, {"primitive", prim_->name()}, {"bytes", kBytes}, {"thp", huge_}};
}

}  // namespace zs
