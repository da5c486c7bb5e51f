#pragma once
// One declaration pair per strategy file: its option table and its constructor. The registry
// (tuner/strategy_registry.cpp) lists them explicitly.
#include <cstdint>
#include <memory>

#include "tuner/param_space.hpp"
#include "tuner/strategies/option_values.hpp"
#include "tuner/strategy.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::tuner::detail {

#define RIDGELINE_DECLARE_STRATEGY(id)                                                        \
  strategy_info id##_info();                                                                  \
  std::unique_ptr<strategy> make_##id(const param_space& space, const option_values& options, \
                                      std::uint64_t seed);

RIDGELINE_DECLARE_STRATEGY(exhaustive)
RIDGELINE_DECLARE_STRATEGY(random_search)
RIDGELINE_DECLARE_STRATEGY(annealing)
RIDGELINE_DECLARE_STRATEGY(genetic)
RIDGELINE_DECLARE_STRATEGY(forest)

#undef RIDGELINE_DECLARE_STRATEGY

}  // namespace ridgeline::tuner::detail
