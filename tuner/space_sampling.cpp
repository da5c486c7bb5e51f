#include "tuner/space_sampling.hpp"

#include "tuner/space_enumeration.hpp"

namespace ridgeline::tuner {

config random_point(const param_space& space, rng& r) {
  config c;
  for (const auto& a : space.axes()) c[a.name()] = a.values()[r.below(a.values().size())];
  return c;
}

std::optional<config> sample_valid(const param_space& space, rng& r,
                                   const std::function<bool(const config&)>& accept,
                                   const sampling_options& options) {
  for (std::uint64_t i = 0; i < options.max_rejections; ++i) {
    config c = random_point(space, r);
    if (!space.violation(c) && (!accept || accept(c))) return c;
  }
  // Reservoir sampling of size one: the k-th acceptable point replaces the pick with chance 1/k,
  // which leaves every acceptable point equally likely after one pass.
  std::optional<config> pick;
  std::uint64_t seen = 0;
  for_each_valid(space, [&](const config& c) {
    if (accept && !accept(c)) return true;
    ++seen;
    if (r.below(seen) == 0) pick = c;
    return true;
  });
  return pick;
}

}  // namespace ridgeline::tuner
