// Standalone checks for targets without GoogleTest: the arm64 build, run
// under qemu-user. The same zero/canary checks as tests/kernels, plus every
// strategy executed with the primitive over a 2 MiB folio.
//   --primitive NAME   exit 0 pass, 1 fail, 77 skipped (not available here)
//   --strategies       every strategy x available primitive over a folio
//   --kernel-choice    the kernel alias matches the DCZID_EL0 decision
//   --platform         the platform layer's register and HWCAP readers on
//                      this CPU: CTR_EL0, DCZID_EL0, HWCAP/HWCAP2 and the
//                      mops primitive's availability agree with each other
#include <sys/mman.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "measure/executor.h"
#include "platform/arm64_cpu.h"
#include "platform/platform.h"
#include "primitives/kernel_choice.h"
#include "primitives/registry.h"
#include "strategies/strategy.h"
#include "support/zero_check.h"

namespace {

constexpr int kSkip = 77;

int check_primitive(const char* name) {
  const zs::Primitive* p = zs::PrimitiveRegistry::get().find(name);
  if (p == nullptr) {
    std::printf("FAIL %s: not in the registry\n", name);
    return 1;
  }
  if (!p->available) {
    std::printf("SKIPPED %s: not available on this CPU: %s\n", name, p->why.c_str());
    return kSkip;
  }
  zs::testing::Arena arena;
  std::size_t cases = 0;
  std::string err = arena.check_all(*p, &cases);
  if (!err.empty()) {
    std::printf("FAIL %s (%.*s): %s\n", name, int(p->name().size()), p->name().data(), err.c_str());
    return 1;
  }
  std::printf("PASS %s (%.*s, align %zu, granule %zu): %zu cases\n", name, int(p->name().size()),
              p->name().data(), p->align, p->granule, cases);
  return 0;
}

int check_strategies() {
  const std::size_t folio = 2u << 20, page = 4096, n = folio / page;
  void* raw = mmap(nullptr, 3 * folio, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return 1;
  auto* base = static_cast<unsigned char*>(raw);
  int failed = 0, passed = 0;
  for (const zs::Primitive& prim : zs::PrimitiveRegistry::get().all()) {
    if (!prim.available) continue;
    for (const zs::Strategy& s : zs::strategies())
      for (std::uint64_t t : {std::uint64_t{0}, std::uint64_t{n / 2 + 3}, std::uint64_t{n - 1}}) {
        zs::Plan plan = s.plan({n, t, 2, s.uses_batch ? 37u : 0u, page});
        if (plan.aliased()) continue;  // needs a memfd-backed folio
        std::memset(base, 0xa5, 3 * folio);
        zs::execute(plan, prim.fn(), reinterpret_cast<std::byte*>(base + folio), page);
        bool ok = true;
        for (std::size_t i = 0; i < 3 * folio && ok; ++i)
          ok = base[i] == ((i >= folio && i < 2 * folio && s.clears) ? 0 : 0xa5);
        if (!ok) {
          std::printf("FAIL %.*s / %.*s t=%llu\n", int(s.name.size()), s.name.data(),
                      int(prim.name().size()), prim.name().data(), (unsigned long long)t);
          ++failed;
        } else {
          ++passed;
        }
      }
  }
  munmap(raw, 3 * folio);
  std::printf("arm64 strategies: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

int check_kernel_choice() {
  std::uint64_t dczid;
  asm volatile("mrs %0, dczid_el0" : "=r"(dczid));
  zs::KernelChoice want = zs::arm64_kernel_choice(dczid);
  const auto& reg = zs::PrimitiveRegistry::get();
  std::printf("DCZID_EL0 = %#llx; kernel -> %.*s (%s)\n", (unsigned long long)dczid,
              int(reg.kernel().name().size()), reg.kernel().name().data(),
              reg.kernel_why().c_str());
  return reg.kernel().name() == want.name ? 0 : 1;
}

int check_platform() {
  namespace a64 = zs::platform::arm64;
  int bad = 0;
  auto expect = [&](bool ok, const char* what) {
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    bad += ok ? 0 : 1;
  };
  const auto ctr = a64::read_ctr_el0();
  const auto dczid = a64::read_dczid_el0();
  const auto caps = a64::read_hwcaps();
  expect(ctr && dczid && caps, "CTR_EL0, DCZID_EL0 and the HWCAP words are readable");
  if (bad) return 1;
  const a64::Ctr c = a64::decode_ctr(*ctr);
  std::printf("CTR_EL0 = %#llx: dcache line %zu, icache line %zu\n", (unsigned long long)*ctr,
              c.dcache_line_bytes, c.icache_line_bytes);
  expect(c.dcache_line_bytes >= 16 && c.dcache_line_bytes <= 2048, "DminLine is 16..2048 bytes");
  expect(zs::platform::cache_line_bytes() == c.dcache_line_bytes,
         "cache_line_bytes() is CTR_EL0.DminLine");
  const zs::Dczid d = zs::decode_dczid(*dczid);
  std::printf("DCZID_EL0 = %#llx: block %zu, DZP %d\n", (unsigned long long)*dczid, d.block_bytes,
              int(d.prohibited));
  const zs::Primitive* zva = zs::PrimitiveRegistry::get().find("dc-zva");
  expect(zva && zva->available == !d.prohibited && (d.prohibited || zva->granule == d.block_bytes),
         "dc-zva availability and block follow DCZID_EL0");
  std::string names;
  for (const std::string& n : a64::hwcap_names(*caps)) names += " " + n;
  std::printf("HWCAP = %#llx, HWCAP2 = %#llx:%s\n", (unsigned long long)caps->hwcap,
              (unsigned long long)caps->hwcap2, names.c_str());
  expect((caps->hwcap & a64::kHwcapFp) && (caps->hwcap & a64::kHwcapAsimd),
         "fp and asimd (baseline A64) are reported");
  const zs::Primitive* mops = zs::PrimitiveRegistry::get().find("mops");
  expect(mops && mops->available == a64::has_mops(*caps), "mops is available iff HWCAP2_MOPS");
  if (mops) std::printf("mops: %s\n", mops->why.c_str());
  return bad ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--primitive") == 0) return check_primitive(argv[2]);
  if (argc == 2 && std::strcmp(argv[1], "--strategies") == 0) return check_strategies();
  if (argc == 2 && std::strcmp(argv[1], "--kernel-choice") == 0) return check_kernel_choice();
  if (argc == 2 && std::strcmp(argv[1], "--platform") == 0) return check_platform();
  std::fprintf(stderr, "usage: %s --primitive NAME | --strategies | --kernel-choice | --platform\n",
               argv[0]);
  return 2;
}
