// The report's cost-against-folio-size fit (report/folio_fit.h) on the
// sizes fixture, against numpy's least squares on the same medians
// (tests/stats/reference.json, "folio_fit", written by make_reference.py),
// and its text section against a golden file (regenerate, from the source
// root, with: build/zeroscope report tests/fixtures/results/sizes |
//   sed -n '/^cost against folio size/,/^$/p' > tests/fixtures/golden/report-sizes-fit.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "report/folio_fit.h"
#include "report/report.h"
#include "results/results_data.h"
#include "support/files.h"

namespace zs {
namespace {

namespace fs = std::filesystem;
const fs::path kSource(ZS_SOURCE_DIR);

using test::slurp;

Report report_of(const std::string& fixture) {
  const ResultsData d = load_results((kSource / "tests/fixtures/results" / fixture).string());
  ReportOptions opt;
  opt.command = "zeroscope report " + fixture;
  return build_report(d, opt);
}

bool near(double got, double want, double rel) {
  return std::abs(got - want) <= rel * std::max(std::abs(want), 1.0);
}

TEST(FolioFit, MatchesNumpyOnTheSizesFixture) {
  const auto ref =
      nlohmann::json::parse(slurp(kSource / "tests/stats/reference.json"))["folio_fit"];
  const Report r = report_of("sizes");
  EXPECT_EQ(r.folio_fits.page_bytes, ref["page_bytes"].get<std::uint64_t>());
  ASSERT_EQ(r.folio_fits.fits.size(), ref["series"].size());
  for (const auto& want : ref["series"]) {
    const std::string series = want["series"];
    SCOPED_TRACE(series);
    auto it = std::find_if(r.folio_fits.fits.begin(), r.folio_fits.fits.end(),
                           [&](const FolioFit& f) { return f.series == series; });
    ASSERT_NE(it, r.folio_fits.fits.end());
    EXPECT_EQ(it->sizes, want["sizes"].get<std::vector<std::uint64_t>>());
    EXPECT_EQ(it->medians_ns, want["medians_ns"].get<std::vector<double>>());
    EXPECT_EQ(it->fit.n, it->sizes.size());
    EXPECT_TRUE(near(it->fit.fixed, want["fixed_ns"], 1e-9)) << it->fit.fixed;
    EXPECT_TRUE(near(it->fit.per_unit, want["per_page_ns"], 1e-11)) << it->fit.per_unit;
    EXPECT_TRUE(near(it->fit.r2, want["r2"], 1e-12)) << it->fit.r2;
  }
}

TEST(FolioFit, TheTextSectionIsTheGolden) {
  const std::string text = render_report_text(report_of("sizes"));
  const std::string golden = slurp(kSource / "tests/fixtures/golden/report-sizes-fit.txt");
  ASSERT_FALSE(golden.empty());
  EXPECT_NE(text.find("\n" + golden), std::string::npos) << text;
  for (std::istringstream in(text); !in.eof();) {
    std::string line;
    std::getline(in, line);
    EXPECT_LE(line.size(), 80u) << line;
  }
  EXPECT_TRUE(render_report_json(report_of("sizes")).contains("folio_fit"));
}

TEST(FolioFit, OneSizeHasNoSection) {
  const Report r = report_of("quick-a");
  EXPECT_TRUE(r.folio_fits.fits.empty());
  EXPECT_EQ(render_folio_fits_text(r.folio_fits), "");
  EXPECT_EQ(render_folio_fits_markdown(r.folio_fits), "");
  EXPECT_EQ(render_report_text(r).find("cost against folio size"), std::string::npos);
  EXPECT_FALSE(render_report_json(r).contains("folio_fit"));
}

TEST(FolioFit, BasePageFromThePmdSize) {
  EXPECT_EQ(base_page_of({{"capability", {{"thp", {{"pmd_bytes", 2097152}}}}}}), 4096u);
  EXPECT_EQ(base_page_of({{"capability", {{"thp", {{"pmd_bytes", 512ull << 20}}}}}}), 65536u);
  EXPECT_EQ(base_page_of(nlohmann::json::object()), 4096u);
}

}  // namespace
}  // namespace zs
