#include "measure/target.h"

#include "common/parse.h"

namespace zs {

std::optional<TargetSpec> TargetSpec::parse(std::string_view s) {
  using K = TargetSpec::Kind;
  if (s == "first") return TargetSpec{K::first, 0};
  if (s == "middle") return TargetSpec{K::middle, 0};
  if (s == "last") return TargetSpec{K::last, 0};
  if (s == "random") return TargetSpec{K::random, 0};
  if (s.rfind("offset:", 0) == 0) {
    auto v = parse_size(s.substr(7));
    if (!v) return std::nullopt;
    return TargetSpec{K::byte_offset, *v};
  }
  auto v = parse_u64(s);
  if (!v) return std::nullopt;
  return TargetSpec{K::page, *v};
}

std::string TargetSpec::name() const {
  switch (kind) {
    case Kind::first:
      return "first";
    case Kind::middle:
      return "middle";
    case Kind::last:
      return "last";
    case Kind::random:
      return "random";
    case Kind::page:
      return std::to_string(value);
    case Kind::byte_offset:
      return "offset:" + std::to_string(value);
  }
  return "?";
}

std::optional<Target> resolve_target(const TargetSpec& spec, std::uint64_t nr_pages,
                                     std::uint64_t page_size, std::mt19937_64& rng) {
  using K = TargetSpec::Kind;
  switch (spec.kind) {
    case K::first:
      return Target{0, 0};
    case K::middle:
      return Target{nr_pages / 2, 0};
    case K::last:
      return Target{nr_pages - 1, 0};
    case K::random:
      return Target{std::uniform_int_distribution<std::uint64_t>(0, nr_pages - 1)(rng), 0};
    case K::page:
      if (spec.value >= nr_pages) return std::nullopt;
      return Target{spec.value, 0};
    case K::byte_offset:
      if (spec.value >= nr_pages * page_size) return std::nullopt;
      return Target{spec.value / page_size, spec.value % page_size};
  }
  return std::nullopt;
}

}  // namespace zs
