#pragma once
// A kernel variant's parameter space: its axes plus constraints that involve several axes.
// Constraints that depend on the problem or on the backend's limits (scratch bytes, team size) are
// checked by the kernel when it prepares a launch, and are recorded as `invalid_config` outcomes.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/key_value.hpp"
#include "tuner/axis.hpp"

namespace ridgeline::tuner {

// One point of a space: axis name -> value (categorical axes hold the label's index).
using config = std::map<std::string, std::int64_t>;

struct constraint {
  std::string description;  // e.g. "tile_m is a multiple of reg_m"
  std::function<bool(const config&)> holds;
};

class param_space {
 public:
  param_space() = default;
  param_space(std::vector<axis> axes, std::vector<constraint> constraints, config defaults);

  const std::vector<axis>& axes() const { return axes_; }
  const std::vector<constraint>& constraints() const { return constraints_; }
  const axis* find(const std::string& name) const;
  bool empty() const { return axes_.empty(); }

  // The declared default configuration (valid by construction; checked when the space is built).
  const config& defaults() const { return defaults_; }

  // Defaults overridden by user text ("tile_m=64,reg_n=16"). Unknown names and text that is not a
  // value of the axis are usage errors naming `field`; constraint violations are NOT errors here —
  // call violation() so the caller can record them as an invalid_config outcome.
  config with_overrides(const key_value_list& overrides, const std::string& field) const;
  // The same over another starting point (e.g. a backend's default configuration).
  config with_overrides(config base, const key_value_list& overrides,
                        const std::string& field) const;

  // The first reason `c` is not a valid point (value outside its axis, missing axis, or a broken
  // constraint), or nothing when it is valid.
  std::optional<std::string> violation(const config& c) const;

  // "tile_m=64,tile_n=128,..." in axis order, categorical values as labels.
  std::string format(const config& c) const;
  // The same as (name, text) pairs: what a measurement record and the database keep.
  key_value_list format_pairs(const config& c) const;

 private:
  std::vector<axis> axes_;
  std::vector<constraint> constraints_;
  config defaults_;
};

}  // namespace ridgeline::tuner
