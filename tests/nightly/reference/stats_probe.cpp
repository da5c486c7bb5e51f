// stats_probe: the C++ regression statistics on series given as JSON, for
// compare_with_references.py, which runs scipy and apache-otava on the same series.
//   stdin:  {"mann_whitney": [{"earlier": [...], "later": [...]}, ...],
//            "e_divisive": [{"series": [...], "window_len": 50, "max_p_value": 0.001,
//                            "min_magnitude": 0.0}, ...]}
//   stdout: {"mann_whitney": [{"u", "p_value", "effect"}, ...],
//            "e_divisive": [[{"index", "p_value", "mean_before", "mean_after"}, ...], ...]}
// Doubles are written in their shortest round-trip form, so the comparison sees the exact values;
// a NaN p-value is written as null. Exit 2 with one line on a malformed request.
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "nightly/regression_stats.hpp"

namespace rn = ridgeline::nightly;
using nlohmann::json;

int main() {
  try {
    const json in = json::parse(std::cin);
    json out = {{"mann_whitney", json::array()}, {"e_divisive", json::array()}};
    for (const json& c : in.value("mann_whitney", json::array())) {
      const auto r = rn::mann_whitney_greater(c.at("earlier").get<std::vector<double>>(),
                                              c.at("later").get<std::vector<double>>());
      out["mann_whitney"].push_back({{"u", r.u}, {"p_value", r.p_value}, {"effect", r.effect}});
    }
    for (const json& c : in.value("e_divisive", json::array())) {
      rn::e_divisive_options options;
      options.window_len = c.value("window_len", options.window_len);
      options.max_p_value = c.value("max_p_value", options.max_p_value);
      options.min_magnitude = c.value("min_magnitude", options.min_magnitude);
      json points = json::array();
      for (const auto& p :
           rn::e_divisive_means(c.at("series").get<std::vector<double>>(), options)) {
        points.push_back({{"index", p.index},
                          {"p_value", p.p_value},
                          {"mean_before", p.mean_before},
                          {"mean_after", p.mean_after}});
      }
      out["e_divisive"].push_back(std::move(points));
    }
    std::cout << out.dump() << '\n';
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "stats_probe: " << e.what() << '\n';
    return 2;
  }
}
