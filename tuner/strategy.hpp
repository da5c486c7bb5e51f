#pragma once
// The search-strategy interface (KTT's searcher, ask/tell): the loop asks for a configuration,
// measures it, and tells the strategy what happened. A strategy sees every outcome — a failed,
// invalid, wrong or cut configuration is information about the space, not an error.
//
// Contract for implementations (tests/tuner/test_strategies.cpp checks every registered one):
// - propose() returns only valid points of the space it was made for, and nothing once it has
//   nothing left to try;
// - the same seed and the same observed outcomes give the same proposals (resume re-creates a
//   strategy with the run's seed and feeds it the stored outcomes);
// - observe() follows each propose() with the proposed config before the next propose();
// - a strategy avoids proposing a config it has already proposed (the loop answers a repeat from
//   its history for free, but a wasted proposal slows the search).
#include <cstdint>
#include <optional>
#include <string>

#include "tuner/param_space.hpp"

namespace ridgeline::tuner {

enum class eval_status {
  ok,
  invalid,       // the kernel refused the configuration (e.g. scratch above the backend's limit)
  failed,        // compile or launch failure
  wrong_result,  // ran, but the check failed
  cut,           // stopped early: already much slower than the best so far
};

// "ok", "invalid", "failed", "wrong_result", "cut".
const char* to_string(eval_status s);

struct evaluation {
  config cfg;
  eval_status status = eval_status::ok;
  double time_s = 0;  // meaningful only when status == ok
  std::string reason;
};

class strategy {
 public:
  virtual ~strategy() = default;
  // Nothing = nothing left to propose.
  virtual std::optional<config> propose() = 0;
  virtual void observe(const evaluation& e) = 0;
};

}  // namespace ridgeline::tuner
