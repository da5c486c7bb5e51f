#pragma once
// Whether a TeamPolicy kernel's team shape fits the backend, by Kokkos's own maxima for the
// functor: the check every team-policy variant's launch_limit starts with.
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <string>

namespace ridgeline::kernels {

// Empty when `f` can launch on Policy with team_size threads of vector_length lanes, else why not.
template <class Policy, class Functor>
std::string team_shape_limit(const Functor& f, int team_size, int vector_length) {
  if (vector_length > Policy::vector_length_max()) {
    return fmt::format("vector_length={} exceeds the backend's maximum {}", vector_length,
                       Policy::vector_length_max());
  }
  const Policy probe(1, 1, vector_length);
  const int max_team = probe.team_size_max(f, Kokkos::ParallelForTag());
  if (team_size > max_team) {
    return fmt::format("team_size={} exceeds the backend's maximum {} (vector_length={})",
                       team_size, max_team, vector_length);
  }
  return {};
}

}  // namespace ridgeline::kernels
