#pragma once
// Strategies by name (STYLE.md lesson 10): each declares its options once — name, description,
// default — and the table drives --help, option validation and the error messages.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/key_value.hpp"
#include "tuner/param_space.hpp"
#include "tuner/strategy.hpp"

namespace ridgeline::tuner {

struct strategy_option {
  std::string name, description, default_value;
};

struct strategy_info {
  std::string name, description;
  std::vector<strategy_option> options;
};

// Every strategy, in a fixed order (an explicit list: no static self-registration).
const std::vector<strategy_info>& strategies();
// The strategy `tune` and `replay` use when none is named (see docs/tuner.md for why).
std::string default_strategy_name();

// A fresh strategy over `space`. Unknown names are usage_errors naming "--strategy" and listing
// the strategies; unknown options or malformed values name "--strategy-option" and list the
// strategy's options. Options not given take their declared defaults.
std::unique_ptr<strategy> make_strategy(const std::string& name, const param_space& space,
                                        const key_value_list& options, std::uint64_t seed);

}  // namespace ridgeline::tuner
