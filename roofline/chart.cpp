#include "roofline/chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/xml_escape.hpp"

namespace ridgeline::roofline {

namespace {

// Log-log data ranges, whole decades.
struct ranges {
  double lx0 = -1, lx1 = 3, ly0 = 9, ly1 = 12;  // log10 of FLOP/B and FLOP/s
};

double top_compute(const profiler::roof_set& r) {
  double top = 0;
  for (const auto& c : r.compute) top = std::max(top, c.flop_per_s);
  return top;
}

double top_bandwidth(const profiler::roof_set& r) {
  double top = 0;
  for (const auto& b : r.bandwidth) top = std::max(top, b.byte_per_s);
  return top;
}

ranges choose_ranges(const std::vector<profiler::roof_set>& roofs,
                     const std::vector<chart_point>& points) {
  double xmin = 0.1, xmax = 100, ymin = INFINITY, ymax = 0;
  for (const auto& r : roofs) {
    for (const auto& c : r.compute) {
      ymax = std::max(ymax, c.flop_per_s);
      ymin = std::min(ymin, c.flop_per_s / 10);
      for (const auto& b : r.bandwidth) {
        if (b.byte_per_s > 0) xmax = std::max(xmax, 4 * c.flop_per_s / b.byte_per_s);
      }
    }
  }
  for (const auto& p : points) {
    if (p.intensity > 0) {
      xmin = std::min(xmin, p.intensity / 2);
      xmax = std::max(xmax, p.intensity * 2);
    }
    if (p.flop_per_s > 0) {
      ymin = std::min(ymin, p.flop_per_s / 2);
      ymax = std::max(ymax, p.flop_per_s);
    }
  }
  for (const auto& r : roofs) {
    for (const auto& b : r.bandwidth) {
      if (b.byte_per_s > 0) ymin = std::min(ymin, b.byte_per_s * xmin);
    }
  }
  if (!std::isfinite(ymin) || ymax <= 0) {
    ymin = 1e9;
    ymax = 1e12;
  }
  ranges g;
  g.lx0 = std::floor(std::log10(xmin));
  g.lx1 = std::ceil(std::log10(xmax));
  g.ly0 = std::floor(std::log10(ymin));
  g.ly1 = std::ceil(std::log10(ymax * 1.5));
  if (g.ly1 <= g.ly0) g.ly1 = g.ly0 + 1;
  return g;
}

// A roof drawn from (x0, y0) to (x1, y1) in data units.
struct segment {
  double x0, y0, x1, y1;
  std::string label;
  bool measured;
  bool bandwidth;
  std::string level;  // bandwidth roofs: lines of one level share one label
};

std::vector<segment> roof_segments(const std::vector<profiler::roof_set>& roofs,
                                   const ranges& g) {
  std::vector<segment> out;
  const double xlo = std::pow(10.0, g.lx0), xhi = std::pow(10.0, g.lx1);
  for (const auto& r : roofs) {
    const bool measured = r.source == profiler::roof_source::measured;
    const double top = top_compute(r), widest = top_bandwidth(r);
    const std::string tag = measured ? "measured" : "datasheet";
    for (const auto& b : r.bandwidth) {
      if (b.byte_per_s <= 0) continue;
      // From the left edge up to the highest compute roof (or the right edge without one).
      const double xend = top > 0 ? std::min(xhi, top / b.byte_per_s) : xhi;
      out.push_back({xlo, b.byte_per_s * xlo, xend, b.byte_per_s * xend,
                     fmt::format("{} {:.3g} GB/s ({})", b.level, b.byte_per_s / 1e9, tag),
                     measured, true, b.level});
    }
    for (const auto& c : r.compute) {
      if (c.flop_per_s <= 0) continue;
      const double xstart = widest > 0 ? std::max(xlo, c.flop_per_s / widest) : xlo;
      out.push_back({xstart, c.flop_per_s, xhi, c.flop_per_s,
                     fmt::format("{} {} {:.4g} GFLOP/s ({})", c.precision, c.unit,
                                 c.flop_per_s / 1e9, tag),
                     measured, false, ""});
    }
  }
  return out;
}

const char* const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                               "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

std::string axis_value(double v, const char* unit) {
  static const char* prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  int p = 0;
  while (v >= 1000 && p < 6) {
    v /= 1000;
    ++p;
  }
  return fmt::format("{:g} {}{}", v, prefixes[p], unit);
}

std::string marker(const std::string& shape, double x, double y, const char* colour) {
  if (shape == "square") {
    return fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="9" height="9" fill="{}" stroke="black" stroke-width="0.6"/>)",
                       x - 4.5, y - 4.5, colour);
  }
  if (shape == "triangle") {
    return fmt::format(R"(<polygon points="{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="{}" stroke="black" stroke-width="0.6"/>)",
                       x, y - 6, x - 5.5, y + 4.5, x + 5.5, y + 4.5, colour);
  }
  if (shape == "diamond") {
    return fmt::format(R"(<polygon points="{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}" fill="{}" stroke="black" stroke-width="0.6"/>)",
                       x, y - 6, x + 6, y, x, y + 6, x - 6, y, colour);
  }
  return fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="{}" stroke="black" stroke-width="0.6"/>)",
                     x, y, colour);
}

}  // namespace

std::string render_svg(const std::vector<profiler::roof_set>& roofs,
                       const std::vector<chart_point>& points, const chart_options& o) {
  const ranges g = choose_ranges(roofs, points);
  const double left = 90, right = 330, top = 50, bottom = 60;
  const double pw = o.width - left - right, ph = o.height - top - bottom;
  auto px = [&](double x) { return left + (std::log10(x) - g.lx0) / (g.lx1 - g.lx0) * pw; };
  auto py = [&](double y) { return top + (g.ly1 - std::log10(y)) / (g.ly1 - g.ly0) * ph; };

  std::string s = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">)"
      "\n",
      o.width, o.height, o.width, o.height);
  s += fmt::format(R"(<rect width="{}" height="{}" fill="white"/>)"
                   "\n",
                   o.width, o.height);
  s += fmt::format(R"(<text x="{}" y="28" font-size="16" font-weight="bold">{}</text>)"
                   "\n",
                   left, xml_escape(o.title));
  s += fmt::format(R"(<defs><clipPath id="plot"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>)"
                   "\n",
                   left, top, pw, ph);
  // Grid and ticks at every decade.
  for (double lx = g.lx0; lx <= g.lx1 + 1e-9; lx += 1) {
    const double x = px(std::pow(10.0, lx));
    s += fmt::format(R"(<line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}" stroke="#dddddd"/>)"
                     R"(<text x="{0:.1f}" y="{3}" text-anchor="middle">{4:g}</text>)"
                     "\n",
                     x, top, top + ph, top + ph + 18, std::pow(10.0, lx));
  }
  for (double ly = g.ly0; ly <= g.ly1 + 1e-9; ly += 1) {
    const double y = py(std::pow(10.0, ly));
    s += fmt::format(R"(<line x1="{0}" y1="{1:.1f}" x2="{2}" y2="{1:.1f}" stroke="#dddddd"/>)"
                     R"(<text x="{3}" y="{4:.1f}" text-anchor="end">{5}</text>)"
                     "\n",
                     left, y, left + pw, left - 6, y + 4, axis_value(std::pow(10.0, ly), "FLOP/s"));
  }
  s += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="black"/>)"
                   "\n",
                   left, top, pw, ph);
  s += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">arithmetic intensity (FLOP per DRAM byte)</text>)"
                   "\n",
                   left + pw / 2, o.height - 18);

  // Roofs, clipped to the plot. Compute roofs are labelled in a column on the right at their
  // height; bandwidth roofs along their own line (rotated to its slope, staggered along x so that
  // near-parallel lines' labels do not sit on each other).
  const auto segments = roof_segments(roofs, g);
  std::vector<std::pair<double, std::string>> labels;
  const double angle = -std::atan((ph / (g.ly1 - g.ly0)) / (pw / (g.lx1 - g.lx0))) * 180.0 / M_PI;
  // All bandwidth lines are parallel: a label is an interval along the line direction u at an
  // offset along the normal n. Each label takes the first position along its line whose interval
  // does not overlap a placed label within one text height on the normal.
  const double ux = std::cos(angle * M_PI / 180.0), uy = std::sin(angle * M_PI / 180.0);
  struct placed_label {
    double along, normal, length;
  };
  std::vector<placed_label> placed;
  for (const auto& r : segments) {
    const double x0 = px(r.x0), y0 = py(r.y0), x1 = px(r.x1), y1 = py(r.y1);
    s += fmt::format(
        R"svg(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="2"{} clip-path="url(#plot)"/>)svg"
        "\n",
        x0, y0, x1, y1, r.bandwidth ? "#555555" : "#000000",
        r.measured ? "" : R"( stroke-dasharray="7,4")");
    if (!r.bandwidth) {
      labels.emplace_back(y1, r.label);
      continue;
    }
    // One label per level, on its highest line, naming every source's value.
    const segment* highest = &r;
    std::string text;
    for (const auto& other : segments) {
      if (!other.bandwidth || other.level != r.level) continue;
      if (other.y0 > highest->y0) highest = &other;
      text += text.empty() ? other.label : ", " + other.label.substr(other.label.find(' ') + 1);
    }
    if (highest != &r) continue;
    double ax = x0, ay = y0;
    if (ay > top + ph) {  // starts below the plot: begin where it enters
      const double f = (ay - (top + ph)) / (ay - y1);
      ax += f * (x1 - x0);
      ay = top + ph;
    }
    const double length = 5.6 * static_cast<double>(text.size());
    const double span = std::hypot(x1 - ax, y1 - ay);
    const double normal = -uy * ax + ux * ay;  // same for every point of this line
    double best_t = -1;
    for (double t = 0.04; t <= 0.96 && (t * span + length) <= span + 40; t += 0.04) {
      const double along = ux * (ax + t * (x1 - ax)) + uy * (ay + t * (y1 - ay));
      bool clear = true;
      for (const auto& q : placed) {
        if (std::fabs(q.normal - normal) < 11 && along < q.along + q.length + 6 &&
            q.along < along + length + 6) {
          clear = false;
          break;
        }
      }
      if (clear) {
        best_t = t;
        break;
      }
    }
    if (best_t < 0) {  // no room along the line: list it at the right, at the line's end
      labels.emplace_back(y1, text);
      continue;
    }
    const double tx = ax + best_t * (x1 - ax), ty = ay + best_t * (y1 - ay);
    placed.push_back({ux * tx + uy * ty, normal, length});
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="10" fill="#333333" )"
                     R"svg(transform="rotate({:.1f} {:.1f} {:.1f})">{}</text>)svg"
                     "\n",
                     tx, ty - 4, angle, tx, ty - 4, xml_escape(text));
  }
  // Ridge points: where each set's DRAM roof meets each compute roof.
  for (const auto& r : roofs) {
    const auto* dram = r.find_bandwidth("dram");
    if (dram == nullptr) continue;
    for (const auto& c : r.compute) {
      if (c.flop_per_s <= 0) continue;
      const double x = c.flop_per_s / dram->byte_per_s;
      if (std::log10(x) < g.lx0 || std::log10(x) > g.lx1) continue;
      s += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="white" stroke="black" stroke-width="1.5"><title>ridge {} {}: {:.3g} FLOP/B</title></circle>)"
                       "\n",
                       px(x), py(c.flop_per_s), c.precision, c.unit, x);
    }
  }
  std::sort(labels.begin(), labels.end());
  double last = -1e9;
  for (auto& [y, text] : labels) {
    const double at = std::max(y + 4, last + 14);
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11">{}</text>)"
                     "\n",
                     left + pw + 8, at, xml_escape(text));
    last = at;
  }

  // Points: colour by kernel, marker by variant.
  std::map<std::string, const char*> colours;
  std::map<std::string, std::string> shapes;
  static const char* const shape_list[] = {"circle", "square", "triangle", "diamond"};
  for (const auto& p : points) {
    if (!colours.count(p.kernel)) colours[p.kernel] = palette[colours.size() % 8];
    if (!shapes.count(p.variant)) shapes[p.variant] = shape_list[shapes.size() % 4];
  }
  bool any_above = false;
  for (const auto& p : points) {
    if (p.intensity <= 0 || p.flop_per_s <= 0) continue;
    if (!p.roof_below_achieved.empty()) {
      // Ringed in red: a roof below the point is an error of the roofs, not a result.
      any_above = true;
      s += fmt::format(
          R"(<circle cx="{:.1f}" cy="{:.1f}" r="10" fill="none" stroke="#d62728" stroke-width="2"><title>roof below achieved: {}</title></circle>)"
          "\n",
          px(p.intensity), py(p.flop_per_s), xml_escape(p.roof_below_achieved));
    }
    s += marker(shapes[p.variant], px(p.intensity), py(p.flop_per_s), colours[p.kernel]);
    s += fmt::format("<title>{}</title>\n", xml_escape(p.label));
  }
  // Legend in the right margin, under the compute-roof labels: kernels, variants, line styles.
  const int entries = static_cast<int>(colours.size() + shapes.size()) + (roofs.empty() ? 0 : 2) +
                      (any_above ? 1 : 0);
  double ly = std::max(last + 28, top + ph - 16.0 * entries);
  const double lx = left + pw + 14;
  auto legend_line = [&](const std::string& text) {
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" font-size="11">{}</text>)"
                     "\n",
                     lx + 16, ly + 4, xml_escape(text));
    ly += 16;
  };
  for (const auto& [kernel, colour] : colours) {
    s += marker("circle", lx + 5, ly, colour);
    legend_line(kernel);
  }
  for (const auto& [variant, shape] : shapes) {
    s += marker(shape, lx + 5, ly, "#bbbbbb");
    legend_line(variant);
  }
  if (!roofs.empty()) {
    s += fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="black" stroke-width="2" stroke-dasharray="7,4"/>)",
                     lx - 2, ly, lx + 12, ly);
    legend_line("datasheet roof");
    s += fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="black" stroke-width="2"/>)",
                     lx - 2, ly, lx + 12, ly);
    legend_line("measured roof");
  }
  if (any_above) {
    s += fmt::format(
        R"(<circle cx="{:.1f}" cy="{:.1f}" r="6" fill="none" stroke="#d62728" stroke-width="2"/>)",
        lx + 5, ly);
    legend_line("roof below achieved: roofs wrong or stale");
  }
  s += "</svg>\n";
  return s;
}

std::string render_text(const std::vector<profiler::roof_set>& roofs,
                        const std::vector<chart_point>& points, const chart_options& o) {
  const ranges g = choose_ranges(roofs, points);
  const int w = o.text_columns, h = o.text_rows;
  std::vector<std::string> grid(static_cast<std::size_t>(h), std::string(static_cast<std::size_t>(w), ' '));
  auto col = [&](double x) {
    return static_cast<int>(std::lround((std::log10(x) - g.lx0) / (g.lx1 - g.lx0) * (w - 1)));
  };
  auto row = [&](double y) {
    return static_cast<int>(std::lround((g.ly1 - std::log10(y)) / (g.ly1 - g.ly0) * (h - 1)));
  };
  auto put = [&](int c, int r, char ch) {
    if (c >= 0 && c < w && r >= 0 && r < h) grid[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] = ch;
  };
  for (const auto& seg : roof_segments(roofs, g)) {
    for (int c = col(seg.x0); c <= col(seg.x1); ++c) {
      const double x = std::pow(10.0, g.lx0 + (g.lx1 - g.lx0) * c / (w - 1));
      const double y = seg.bandwidth ? seg.y0 * x / seg.x0 : seg.y0;
      put(c, row(y), seg.bandwidth ? '/' : (seg.measured ? '-' : '='));
    }
  }
  std::string legend;
  int n = 0;
  for (const auto& p : points) {
    if (p.intensity <= 0 || p.flop_per_s <= 0) continue;
    const char id = n < 9 ? static_cast<char>('1' + n) : static_cast<char>('a' + n - 9);
    put(col(p.intensity), row(p.flop_per_s), id);
    legend += fmt::format("  {} {} {} {}: {:.3g} FLOP/B, {}\n", id, p.kernel, p.variant, p.label,
                          p.intensity, axis_value(p.flop_per_s, "FLOP/s"));
    if (!p.roof_below_achieved.empty()) {
      legend += fmt::format("    roof below achieved: {}\n", p.roof_below_achieved);
    }
    ++n;
  }
  std::string out = o.title + "\n";
  for (int r = 0; r < h; ++r) {
    const double y = std::pow(10.0, g.ly1 - (g.ly1 - g.ly0) * r / (h - 1));
    const bool tick = std::fabs(std::log10(y) - std::round(std::log10(y))) < 0.5 * (g.ly1 - g.ly0) / (h - 1);
    out += fmt::format("{:>14} |{}\n", tick ? axis_value(std::pow(10.0, std::round(std::log10(y))), "FLOP/s") : "",
                       grid[static_cast<std::size_t>(r)]);
  }
  out += std::string(15, ' ') + '+' + std::string(static_cast<std::size_t>(w), '-') + "\n";
  std::string axis(static_cast<std::size_t>(w) + 24, ' ');
  for (double lx = g.lx0; lx <= g.lx1 + 1e-9; lx += 1) {
    const std::string t = fmt::format("{:g}", std::pow(10.0, lx));
    const int c = 16 + col(std::pow(10.0, lx));
    for (std::size_t i = 0; i < t.size() && c + static_cast<int>(i) < static_cast<int>(axis.size()); ++i) {
      axis[static_cast<std::size_t>(c) + i] = t[i];
    }
  }
  out += axis + "  FLOP/B\n";
  out += "roofs: '=' datasheet compute, '-' measured compute, '/' bandwidth\n";
  for (const auto& seg : roof_segments(roofs, g)) out += "  " + seg.label + "\n";
  if (!legend.empty()) out += "points:\n" + legend;
  return out;
}

}  // namespace ridgeline::roofline
