// The roofline chart: every roof labelled with its value, datasheet dashed and measured solid,
// every point drawn, ridge points marked; the text chart lists the same.
#include <gtest/gtest.h>

#include <string>

#include "roofline/chart.hpp"

namespace ridgeline::roofline {
namespace {

std::vector<profiler::roof_set> two_sets() {
  profiler::roof_set ds;
  ds.device = "test-cpu";
  ds.source = profiler::roof_source::datasheet;
  ds.compute = {{"f32", "simt", 230e9, "datasheet"}, {"f64", "simt", 115e9, "datasheet"}};
  ds.bandwidth = {{"dram", 52e9, "datasheet"}, {"l1", 375e9, "datasheet"}};
  profiler::roof_set ms = ds;
  ms.source = profiler::roof_source::measured;
  ms.compute = {{"f32", "simt", 231e9, "measured"}};
  ms.bandwidth = {{"dram", 32e9, "measured"}};
  return {ds, ms};
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(Chart, SvgHasEveryRoofPointAndRidge) {
  const std::vector<chart_point> points = {{"gemm", "kokkos_tiled", "2048^3 f32", 341, 176e9},
                                           {"gemm", "vendor", "2048^3 f32", 341, 210e9}};
  const std::string svg = render_svg(two_sets(), points, {"Roofline: test"});
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("Roofline: test"), std::string::npos);
  // 4 datasheet roofs dashed, 2 measured solid (+ the legend's two sample lines).
  EXPECT_EQ(count(svg, R"(stroke-dasharray="7,4" clip-path)"), 4u);
  for (const char* label : {"f32 simt 230 GFLOP/s (datasheet)", "f64 simt 115 GFLOP/s (datasheet)",
                            "f32 simt 231 GFLOP/s (measured)", "dram 52 GB/s (datasheet)",
                            "32 GB/s (measured)", "l1 375 GB/s (datasheet)"}) {
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  }
  EXPECT_NE(svg.find("<title>2048^3 f32</title>"), std::string::npos);
  EXPECT_GE(count(svg, "<title>ridge "), 3u);  // f32 and f64 on the datasheet DRAM roof, f32 measured
  EXPECT_NE(svg.find("kokkos_tiled"), std::string::npos);  // legend
  EXPECT_NE(svg.find("vendor"), std::string::npos);
}

TEST(Chart, TextChartListsRoofsAndPoints) {
  const std::string text =
      render_text(two_sets(), {{"gemm", "vendor", "decode m=16", 7.9, 20e9}});
  EXPECT_NE(text.find("f32 simt 231 GFLOP/s (measured)"), std::string::npos) << text;
  EXPECT_NE(text.find("1 gemm vendor decode m=16: 7.9 FLOP/B, 20 GFLOP/s"), std::string::npos)
      << text;
  EXPECT_NE(text.find('1'), std::string::npos);
  EXPECT_NE(text.find('/'), std::string::npos);  // a bandwidth roof was drawn
}

TEST(Chart, APointAboveARoofIsRingedAndNamed) {
  chart_point above{"gemm", "vendor", "decode m=16", 7.9, 600e9};
  above.roof_below_achieved =
      "this roof set is wrong or stale (datasheet card test-cpu): its compute (f32 simt) roof, "
      "230 GFLOP/s (datasheet), is below the achieved 600 GFLOP/s";
  const std::string text = render_text(two_sets(), {above});
  EXPECT_NE(text.find("    roof below achieved: this roof set is wrong or stale (datasheet card "
                      "test-cpu)"),
            std::string::npos)
      << text;
  const std::string svg = render_svg(two_sets(), {above});
  EXPECT_NE(svg.find(R"(stroke="#d62728" stroke-width="2"><title>roof below achieved: this roof)"),
            std::string::npos);
  EXPECT_NE(svg.find("roof below achieved: roofs wrong or stale"), std::string::npos);  // legend
  // A point under its roofs gets neither.
  const std::string plain = render_svg(two_sets(), {{"gemm", "vendor", "p", 7.9, 20e9}});
  EXPECT_EQ(plain.find("roof below achieved"), std::string::npos);
  EXPECT_EQ(render_text(two_sets(), {{"gemm", "vendor", "p", 7.9, 20e9}}).find("roof below"),
            std::string::npos);
}

TEST(Chart, NoRoofsStillDrawsPoints) {
  const std::string svg = render_svg({}, {{"gemm", "vendor", "p", 10, 1e10}});
  EXPECT_NE(svg.find("<title>p</title>"), std::string::npos);
  EXPECT_EQ(svg.find("datasheet roof"), std::string::npos);
}

}  // namespace
}  // namespace ridgeline::roofline
