// The kernel's path in words: info's rows, the run and report headers, and
// results from before it was recorded.
#include "machine/kernel_path_text.h"

#include <gtest/gtest.h>

#include "machine/kernel_path.h"
#include "machine/record_text.h"
#include "report/kernel_path_note.h"
#include "support/kernel_table.h"

namespace zs {
namespace {

using nlohmann::json;

json table(const char* release = "6.18.44-fc-v669") {
  json t = json::array();
  for (const KernelZeroing& z : kernel_zeroing(test::dev_vm_kernel(release)))
    t.push_back(to_json(z));
  return t;
}

TEST(KernelPathText, Labels) {
  EXPECT_EQ(folio_label("thp", 2u << 20), "THP 2 MiB");
  EXPECT_EQ(folio_label("mthp", 64u << 10), "mTHP 64 KiB");
  EXPECT_EQ(folio_label("hugetlb", 1u << 30), "hugetlb 1 GiB");
}

TEST(KernelPathText, OneLinePerFolioOfTheRun) {
  const json t = table();
  auto lines = kernel_path_lines(&t, {{"thp", 2u << 20}, {"hugetlb", 1u << 30}, {"mthp", 8192}});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "kernel path: THP 2 MiB: left-right (folio_zero_user -> process_huge_page: page at a "
            "time, target last)");
  EXPECT_EQ(lines[1],
            "kernel path: hugetlb 1 GiB: sequential (folio_zero_user -> clear_gigantic_page: page "
            "at a time, ascending)");
  EXPECT_NE(lines[2].find("not in the kernel's table"), std::string::npos);
  const json t7 = table("7.0.0");
  EXPECT_EQ(kernel_path_lines(&t7, {{"thp", 2u << 20}})[0],
            "kernel path: THP 2 MiB: three-region w=2 batch=8192 (folio_zero_user -> "
            "clear_contig_highpages: right, left, then the target +-2 pages; contiguous ranges)");
  const json old = table("4.4.0");
  EXPECT_EQ(kernel_path_lines(&old, {{"thp", 2u << 20}})[0],
            "kernel path: THP 2 MiB: not covered: kernel release 4.4 is older than 4.14, which "
            "the table does not cover");
}

TEST(KernelPathText, OlderResultsSaySoOnce) {
  EXPECT_EQ(kernel_path_lines(nullptr, {{"thp", 2u << 20}}),
            std::vector<std::string>{
                "kernel path: not recorded (results from before zeroscope recorded it)"});
}

TEST(KernelPathText, InfoRowsWithSources) {
  json rec;
  rec["kernel"]["init_on_alloc"] = {{"value", false},
                                    {"source", "default: CONFIG_INIT_ON_ALLOC_DEFAULT_ON not set"}};
  rec["kernel"]["init_on_free"] = {{"value", nullptr}, {"source", "no config"}};
  rec["missing"]["kernel.init_on_free.value"] = "no config";
  rec["kernel"]["max_page_order"] = 10;
  rec["kernel"]["max_page_order_source"] = "/proc/buddyinfo (11 order columns)";
  rec["kernel"]["free_page_reporting"] = {{"active", true}, {"order", 9}, {"source", "balloon"}};
  rec["kernel"]["caches_alias"] = {{"value", false}, {"source", "architecture x86_64"}};
  rec["kernel"]["zeroing"] = table();
  RecordText t(rec);
  t.section("Kernel");
  kernel_zeroing_text(t);
  const std::string text = t.render();
  for (const char* want :
       {"init_on_alloc        no\n                       source: default: "
        "CONFIG_INIT_ON_ALLOC_DEFAULT_ON not set\n",
        "init_on_free         unknown: no config\n",
        "free page reporting  yes, order 9 (free blocks of 2^9 pages and up are given to the host)",
        "\nKernel zeroing (the replica of each folio's fault path; docs/kernel-zeroing.md)\n",
        "  THP 2 MiB      left-right (folio_zero_user -> process_huge_page: page at a time, target "
        "last)\n                 source: init_on_alloc off",
        "  hugetlb 1 GiB  sequential (folio_zero_user -> clear_gigantic_page"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n---\n" << text;
}

TEST(KernelPathNote, FromMetaAndPoints) {
  ResultsData d;
  d.meta["capability"]["kernel"]["zeroing"] = table();
  PointInfo p;
  p.backing = "thp";
  p.folio_size = 2u << 20;
  d.points = {p, p};
  PointInfo base;
  base.backing = "base";
  base.folio_size = 2u << 20;
  d.points.push_back(base);
  auto notes = kernel_path_notes(d);
  ASSERT_EQ(notes.size(), 1u);  // one folio; base pages have no huge-folio path
  EXPECT_EQ(notes[0].rfind("kernel path: THP 2 MiB: left-right", 0), 0u);
  d.meta = json::object();
  EXPECT_EQ(kernel_path_notes(d)[0],
            "kernel path: not recorded (results from before zeroscope recorded it)");
}

}  // namespace
}  // namespace zs
