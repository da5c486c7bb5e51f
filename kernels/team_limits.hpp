#pragma once
// Whether a TeamPolicy kernel's team shape and scratch fit the backend, by Kokkos's own maxima
// for the functor: the checks every team-policy variant's launch_limit is made of.
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <cstddef>
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

// Empty when `need` bytes of team scratch fit Policy's maximum at `level`, else why not;
// `holding` says what the bytes are for ("tile_m, tile_n, tile_k = 64, 64, 16"), empty for nothing.
template <class Policy>
std::string scratch_limit(int level, std::size_t need, const std::string& holding) {
  const auto max = static_cast<std::size_t>(Policy::scratch_size_max(level));
  if (need <= max) return {};
  return fmt::format("scratch level {} needs {} bytes{} > the backend's maximum {}", level, need,
                     holding.empty() ? "" : " (" + holding + ")", max);
}

}  // namespace ridgeline::kernels
