#pragma once
// The neighbourhood of a point, for local search (annealing, the genetic algorithm's mutation,
// the surrogate's candidate pool). Only valid points are returned, in axis order.
#include <vector>

#include "tuner/param_space.hpp"

namespace ridgeline::tuner {

enum class neighbourhood {
  adjacent,  // one axis moved to the next lower or higher value of that axis
  hamming,   // one axis changed to any other value (Hamming distance 1)
};

std::vector<config> neighbours(const param_space& space, const config& c, neighbourhood kind);

}  // namespace ridgeline::tuner
