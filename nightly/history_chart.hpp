#pragma once
// The history of one job case as an SVG line chart: the nightly median time per night (oldest
// left), change points found by E-divisive means drawn as dashed lines at the first night of each
// new segment, nights that were not good (regression, failed checks) drawn hollow, tonight last.
#include <string>
#include <vector>

#include "nightly/night_point.hpp"

namespace ridgeline::nightly {

struct history_chart_options {
  int width = 520, height = 200;
  double max_p_value = 0.01;  // change points drawn: those significant at this level
};

std::string render_history_svg(const std::string& title, const std::vector<night_point>& nights,
                               const history_chart_options& options = {});

}  // namespace ridgeline::nightly
