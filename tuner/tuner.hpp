#pragma once
// The tuner in one include: spaces and their operations, strategies by name, the search loop.
// (Offline replay of recorded spaces is tuner/replay/, a separate library with a JSON dependency.)
#include "tuner/axis.hpp"
#include "tuner/param_space.hpp"
#include "tuner/random.hpp"
#include "tuner/search.hpp"
#include "tuner/space_enumeration.hpp"
#include "tuner/space_neighbours.hpp"
#include "tuner/space_sampling.hpp"
#include "tuner/strategy.hpp"
#include "tuner/strategy_registry.hpp"
