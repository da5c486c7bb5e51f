#pragma once
// The Kokkos team shape every TeamPolicy variant tunes (threads per team, vector lanes per
// thread), declared once: the same names and ranges for every kernel, its field and defaults
// given by the variant.
#include "tuner/bound_space.hpp"

namespace ridgeline::kernels {

template <class Config>
tuner::bound_axis<Config> team_size_axis(tuner::int_field<Config> field,
                                         tuner::backend_defaults defaults,
                                         const char* description = "threads per team") {
  return {field, tuner::axis::power_of_two("team_size", 1, 1024, description), defaults};
}

template <class Config>
tuner::bound_axis<Config> vector_length_axis(tuner::int_field<Config> field,
                                             tuner::backend_defaults defaults,
                                             const char* description = "vector lanes per thread") {
  return {field, tuner::axis::power_of_two("vector_length", 1, 32, description), defaults};
}

}  // namespace ridgeline::kernels
