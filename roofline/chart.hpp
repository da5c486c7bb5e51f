#pragma once
// A roofline chart of measurements against one or more roof sets, as data (log-log axes, roof
// segments, points) and rendered as SVG or as a text chart for the terminal. Datasheet roofs are
// drawn dashed and measured roofs solid, never merged; every roof is labelled with its value.
#include <string>
#include <vector>

#include "profiler/roofs.hpp"

namespace ridgeline::roofline {

struct chart_point {
  std::string kernel;          // colour
  std::string variant;         // marker
  std::string label;           // e.g. "gemm 2048^3 f32"
  double intensity = 0;        // FLOP per DRAM byte
  double flop_per_s = 0;       // achieved
  // Placements of this point whose roof is below it (profiler::placement::roof_below_achieved):
  // their reasons, "; "-separated; "" when every roof is above it. Such a point is drawn ringed
  // and listed with "roof below achieved: …": the roofs are wrong, not the point. (`{}`: brace
  // lists of the five fields above stay free of -Wmissing-field-initializers.)
  std::string roof_below_achieved{};
};

struct chart_options {
  std::string title = "Roofline";
  int width = 1060, height = 640;  // SVG pixels
  int text_columns = 72, text_rows = 22;
};

std::string render_svg(const std::vector<profiler::roof_set>& roofs,
                       const std::vector<chart_point>& points, const chart_options& options = {});

std::string render_text(const std::vector<profiler::roof_set>& roofs,
                        const std::vector<chart_point>& points, const chart_options& options = {});

}  // namespace ridgeline::roofline
