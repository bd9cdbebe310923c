#include "primitives/registry.h"

#include <cstdio>
#include <cstdlib>

namespace zs {

PrimitiveRegistry::PrimitiveRegistry() {
  auto add = [this](std::span<const PrimitiveInfo> table) {
    for (const PrimitiveInfo& info : table) {
      Availability a = info.probe();
      entries_.push_back(Primitive{&info, a.ok, std::move(a.why), a.align ? a.align : info.align,
                                   a.granule ? a.granule : info.granule});
    }
  };
  add(arch_primitives());
  add(generic_primitives());

  KernelChoice choice = arch_kernel_choice();
  for (const Primitive& p : entries_)
    if (p.name() == choice.name) kernel_ = &p;
  if (kernel_ == nullptr || !kernel_->available) {
    // The kernel's choice must be one of ours and usable: it is what the
    // kernel itself runs on this CPU. Anything else is a bug in the table.
    std::fprintf(stderr, "zeroscope: internal error: kernel primitive '%s' is not usable here\n",
                 choice.name.c_str());
    std::abort();
  }
  kernel_why_ = std::move(choice.why);
}

const PrimitiveRegistry& PrimitiveRegistry::get() {
  static const PrimitiveRegistry registry;
  return registry;
}

const Primitive* PrimitiveRegistry::find(std::string_view name) const {
  if (name == kKernelAlias) return kernel_;
  for (const Primitive& p : entries_)
    if (p.name() == name) return &p;
  return nullptr;
}

std::vector<std::string> PrimitiveRegistry::names() const {
  std::vector<std::string> out;
  for (const Primitive& p : entries_) out.emplace_back(p.name());
  out.emplace_back(kKernelAlias);
  return out;
}

}  // namespace zs
