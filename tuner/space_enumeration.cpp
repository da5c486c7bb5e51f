#include "tuner/space_enumeration.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace ridgeline::tuner {

std::uint64_t cartesian_size(const param_space& space) {
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t n = 1;
  for (const auto& a : space.axes()) {
    const std::uint64_t k = a.values().size();
    if (n > max / k) return max;
    n *= k;
  }
  return n;
}

odometer::odometer(const param_space& space) : space_(&space), positions_(space.axes().size(), 0) {}

void odometer::advance() {
  if (done_) return;
  const auto& axes = space_->axes();
  for (std::size_t i = axes.size(); i-- > 0;) {
    if (++positions_[i] < axes[i].values().size()) return;
    positions_[i] = 0;
  }
  done_ = true;  // wrapped around (or a space with no axes, whose only point was visited)
}

void odometer::skip_invalid() {
  while (!done_ && space_->violation(point())) advance();
}

config odometer::point() const {
  return config_from_positions(*space_, positions_);
}

void for_each_point(const param_space& space, const std::function<bool(const config&)>& visit) {
  for (odometer o(space); !o.done(); o.advance()) {
    if (!visit(o.point())) return;
  }
}

void for_each_valid(const param_space& space, const std::function<bool(const config&)>& visit) {
  for (odometer o(space); !o.done(); o.advance()) {
    const config c = o.point();
    if (space.violation(c)) continue;
    if (!visit(c)) return;
  }
}

std::uint64_t count_valid(const param_space& space, std::optional<std::uint64_t> limit) {
  std::uint64_t n = 0;
  for_each_valid(space, [&](const config&) {
    ++n;
    return !limit || n < *limit;
  });
  return n;
}

std::optional<std::vector<std::size_t>> axis_positions(const param_space& space, const config& c) {
  std::vector<std::size_t> pos;
  pos.reserve(space.axes().size());
  for (const auto& a : space.axes()) {
    const auto it = c.find(a.name());
    if (it == c.end()) return std::nullopt;
    const auto& v = a.values();
    const auto at = std::lower_bound(v.begin(), v.end(), it->second);
    if (at == v.end() || *at != it->second) return std::nullopt;
    pos.push_back(static_cast<std::size_t>(at - v.begin()));
  }
  return pos;
}

config config_from_positions(const param_space& space, const std::vector<std::size_t>& positions) {
  config c;
  const auto& axes = space.axes();
  for (std::size_t i = 0; i < axes.size(); ++i) c[axes[i].name()] = axes[i].values()[positions[i]];
  return c;
}

std::optional<std::uint64_t> config_index(const param_space& space, const config& c) {
  if (cartesian_size(space) == std::numeric_limits<std::uint64_t>::max()) return std::nullopt;
  const auto pos = axis_positions(space, c);
  if (!pos) return std::nullopt;
  std::uint64_t index = 0;
  const auto& axes = space.axes();
  for (std::size_t i = 0; i < axes.size(); ++i) index = index * axes[i].values().size() + (*pos)[i];
  return index;
}

config config_at(const param_space& space, std::uint64_t index) {
  if (index >= cartesian_size(space)) throw std::out_of_range("config_at: index past the space");
  const auto& axes = space.axes();
  std::vector<std::size_t> pos(axes.size());
  for (std::size_t i = axes.size(); i-- > 0;) {
    const std::uint64_t k = axes[i].values().size();
    pos[i] = static_cast<std::size_t>(index % k);
    index /= k;
  }
  return config_from_positions(space, pos);
}

}  // namespace ridgeline::tuner
