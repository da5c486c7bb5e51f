#include "nightly/history_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/xml_escape.hpp"
#include "nightly/regression_stats.hpp"

namespace ridgeline::nightly {

namespace {

// The time unit that keeps the axis numbers between 1 and 1000.
std::pair<double, const char*> time_unit(double seconds) {
  if (seconds >= 1) return {1, "s"};
  if (seconds >= 1e-3) return {1e3, "ms"};
  return {1e6, "us"};
}

}  // namespace

std::string render_history_svg(const std::string& title, const std::vector<night_point>& nights,
                               const history_chart_options& o) {
  const int left = 64, right = 16, top = 28, bottom = 36;
  const double plot_w = o.width - left - right, plot_h = o.height - top - bottom;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"{0}\" height=\"{1}\" "
      "fill=\"white\"/>\n<text x=\"{2}\" y=\"16\" font-size=\"12\" "
      "font-weight=\"bold\">{3}</text>\n",
      o.width, o.height, left, xml_escape(title));
  if (nights.empty()) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\">no nights yet</text>\n</svg>\n", left,
                       top + plot_h / 2);
    return svg;
  }
  double lo = nights.front().median_s, hi = lo;
  for (const night_point& n : nights) {
    lo = std::min(lo, n.median_s);
    hi = std::max(hi, n.median_s);
  }
  // A tight axis (a 3% shift must be visible), padded, and labelled so nobody reads it from zero.
  const double pad = std::max((hi - lo) * 0.15, hi * 0.02);
  lo = std::max(0.0, lo - pad);
  hi += pad;
  const auto [scale, unit] = time_unit(hi);
  const auto x_of = [&](std::size_t i) {
    return nights.size() == 1
               ? left + plot_w / 2
               : left + plot_w * static_cast<double>(i) / static_cast<double>(nights.size() - 1);
  };
  const auto y_of = [&](double s) { return top + plot_h * (1 - (s - lo) / (hi - lo)); };

  // Axes and four labelled horizontal grid lines.
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#999\"/>\n", left,
      top, plot_w, plot_h);
  for (int g = 0; g <= 4; ++g) {
    const double s = lo + (hi - lo) * g / 4;
    const double y = y_of(s);
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"#eee\"/>\n<text "
        "x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5:.4g} {6}</text>\n",
        left, y, left + plot_w, left - 4, y + 4, s * scale, unit);
  }
  svg += fmt::format(
      "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">nightly runs, oldest left (run ids); median "
      "time per launch</text>\n",
      left + plot_w / 2, o.height - 6);

  // Change points over the whole series.
  if (nights.size() >= 3) {
    std::vector<double> medians;
    for (const night_point& n : nights) medians.push_back(n.median_s);
    e_divisive_options options;
    options.max_p_value = o.max_p_value;
    for (const change_point& cp : e_divisive_means(medians, options)) {
      if (cp.index == 0 || cp.index >= nights.size()) continue;
      const double x = (x_of(cp.index - 1) + x_of(cp.index)) / 2;
      svg += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#d62728\" "
          "stroke-dasharray=\"4 3\"/>\n<text x=\"{3:.1f}\" y=\"{4}\" fill=\"#d62728\">change "
          "{5:+.1f}%</text>\n",
          x, top, top + plot_h, x + 3, top + 12, 100 * cp.relative_change());
    }
  }

  // The series, then each night as a point with its run id below the axis.
  std::string path;
  for (std::size_t i = 0; i < nights.size(); ++i) {
    path += fmt::format("{}{:.1f},{:.1f}", i ? " " : "", x_of(i), y_of(nights[i].median_s));
  }
  svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#1f77b4\"/>\n", path);
  const std::size_t label_every = std::max<std::size_t>(1, nights.size() / 12);
  for (std::size_t i = 0; i < nights.size(); ++i) {
    const night_point& n = nights[i];
    const bool last = i + 1 == nights.size();
    svg += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\" stroke=\"#1f77b4\"><title>run "
        "{}: {:.4g} {} ({})</title></circle>\n",
        x_of(i), y_of(n.median_s), last ? 4.5 : 3, n.good || last ? "#1f77b4" : "white",
        n.nightly_run_id, n.median_s * scale, unit, xml_escape(n.params));
    if (i % label_every == 0 || last) {
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x_of(i),
                         top + plot_h + 14, n.nightly_run_id);
    }
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace ridgeline::nightly
