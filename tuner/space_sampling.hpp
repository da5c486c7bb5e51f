#pragma once
// Uniform sampling among the valid points of a space. Rejection sampling over the Cartesian
// product is exact and cheap when constraints keep a fair share of the points; when they keep
// almost none (or `accept` excludes almost all of them, as for search without replacement), a
// streaming reservoir pass over the whole product is still exact, only slower.
#include <cstdint>
#include <functional>
#include <optional>

#include "tuner/param_space.hpp"
#include "tuner/random.hpp"

namespace ridgeline::tuner {

// A uniformly drawn point of the Cartesian product (constraints not checked).
config random_point(const param_space& space, rng& r);

struct sampling_options {
  // Rejection draws before falling back to the streaming pass. The pass costs one constraint
  // check per Cartesian point, so the default stays well below a GEMM space's size.
  std::uint64_t max_rejections = 4096;
};

// A point drawn uniformly among the valid points c with accept(c) (all valid points when accept
// is empty); nothing when there is none.
std::optional<config> sample_valid(const param_space& space, rng& r,
                                   const std::function<bool(const config&)>& accept = {},
                                   const sampling_options& options = {});

}  // namespace ridgeline::tuner
