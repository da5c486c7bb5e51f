#include "tuner/space_neighbours.hpp"

#include "tuner/space_enumeration.hpp"

namespace ridgeline::tuner {

std::vector<config> neighbours(const param_space& space, const config& c, neighbourhood kind) {
  std::vector<config> out;
  const auto pos = axis_positions(space, c);
  if (!pos) return out;  // an off-axis point has no defined neighbourhood
  const auto& axes = space.axes();
  auto try_value = [&](std::size_t axis_i, std::size_t value_i) {
    config n = c;
    n[axes[axis_i].name()] = axes[axis_i].values()[value_i];
    if (!space.violation(n)) out.push_back(std::move(n));
  };
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const std::size_t size = axes[i].values().size();
    const std::size_t p = (*pos)[i];
    if (kind == neighbourhood::adjacent) {
      if (p > 0) try_value(i, p - 1);
      if (p + 1 < size) try_value(i, p + 1);
    } else {
      for (std::size_t v = 0; v < size; ++v) {
        if (v != p) try_value(i, v);
      }
    }
  }
  return out;
}

}  // namespace ridgeline::tuner
